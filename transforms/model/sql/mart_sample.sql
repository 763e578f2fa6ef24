-- grain: one row per survey × wave × sector × size band (org_sector / org_size_band 'all' = total)
-- One row per population-frame cell and per cell respondents sit in, per sector (org_size_band
-- 'all') and for the wave ('all', 'all'). Without a population frame (an unweighted survey)
-- population and response_rate are NULL; a respondent without a size band is 'unknown' when
-- others have one, and a dimension nobody answered (NULL) has only its 'all' rows. weight is
-- the mean weight of the row's respondents: for a cell, the weight every respondent in it
-- carries. Disclosure: a row with 0 < n_respondents < $min_cell hides n_respondents,
-- response_rate and weight (the population is public, so either gives the count away);
-- transforms/model/disclosure/marts.py hides more rows where totals would give one back.
with frame as (
    select survey_id, org_sector, org_size_band, organisations as population
    from ref_population_frame
),

waves as (
    select distinct survey_id, wave
    from respondent_weight
),

respondents as (
    select
        survey_id,
        wave,
        org_sector,
        case
            when org_size_band is not null then org_size_band
            when count(org_size_band) over (partition by survey_id, wave) > 0 then 'unknown'
        end as org_size_band,
        weight,
        stratum
    from stg_respondent
),

sample as (
    select
        survey_id,
        wave,
        org_sector,
        org_size_band,
        count(*) as n_respondents,
        sum(weight) as sum_weights,
        min(stratum) as stratum
    from respondents
    group by all
),

framed as (
    select w.survey_id, w.wave, f.org_sector, f.org_size_band, f.population
    from waves as w
    inner join frame as f using (survey_id)
),

cells as (
    select
        coalesce(f.survey_id, s.survey_id) as survey_id,
        coalesce(f.wave, s.wave) as wave,
        coalesce(f.org_sector, s.org_sector) as org_sector,
        coalesce(f.org_size_band, s.org_size_band) as org_size_band,
        f.population,
        coalesce(s.n_respondents, 0) as n_respondents,
        coalesce(s.sum_weights, 0) as sum_weights,
        s.stratum
    from framed as f
    full outer join sample as s
        on s.survey_id = f.survey_id
        and s.wave = f.wave
        and s.org_sector = f.org_sector
        and s.org_size_band = f.org_size_band
),

totals as (
    select
        survey_id,
        wave,
        case when grouping(org_sector) = 1 then 'all' else org_sector end as org_sector,
        case when grouping(org_size_band) = 1 then 'all' else org_size_band end as org_size_band,
        sum(population)::bigint as population,
        sum(n_respondents)::bigint as n_respondents,
        sum(n_respondents) / nullif(sum(population), 0) as response_rate,
        sum(sum_weights) / nullif(sum(n_respondents), 0) as weight,
        case when grouping(org_size_band) = 0 then any_value(stratum) end as stratum
    from cells
    group by grouping sets (
        (survey_id, wave, org_sector, org_size_band),
        (survey_id, wave, org_sector),
        (survey_id, wave)
    )
    having
        (grouping(org_sector) = 1 or org_sector is not null)
        and (grouping(org_size_band) = 1 or org_size_band is not null)
),

flagged as (
    select *, n_respondents > 0 and n_respondents < $min_cell as suppressed
    from totals
),

final as (
    select
        survey_id,
        wave,
        org_sector,
        org_size_band,
        population,
        case when not suppressed then n_respondents end as n_respondents,
        case when not suppressed then response_rate end as response_rate,
        case when not suppressed then weight end as weight,
        stratum,
        suppressed,
        case when suppressed then 'primary' end as suppression
    from flagged
)

select * from final
order by survey_id, wave, org_sector = 'all', org_sector, org_size_band = 'all', org_size_band
