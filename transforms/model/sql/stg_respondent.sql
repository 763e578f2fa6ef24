-- grain: one row per weighted respondent per survey wave
-- org_sector: a respondent without a sector is 'unknown' when others in the wave have one (a
-- domain of its own, so sectors still add up to the total), NULL when nobody in the wave has
-- one (the survey did not ask: estimates then have the total over all sectors only).
-- stratum_population is N_h, the organisations the stratum stands for (the sum of its
-- weights), and NULL when the wave is unweighted (weighting_summary.method 'none': no
-- population frame, so no N_h and no finite population correction).
with source_respondent as (
    select survey_id, wave, respondent_key, org_sector, org_size_band, region
    from respondent
),

source_weight as (
    select survey_id, wave, respondent_key, stratum, weight
    from respondent_weight
),

source_method as (
    select survey_id, wave, method
    from weighting_summary
),

joined as (
    select
        r.survey_id,
        r.wave,
        r.respondent_key,
        case
            when r.org_sector is not null then r.org_sector
            when count(r.org_sector) over wave_window > 0 then 'unknown'
        end as org_sector,
        r.org_size_band,
        r.region,
        w.stratum,
        w.weight,
        coalesce(m.method, '') = 'none' as unweighted
    from source_respondent as r
    inner join source_weight as w using (survey_id, wave, respondent_key)
    left join source_method as m using (survey_id, wave)
    window wave_window as (partition by r.survey_id, r.wave)
),

final as (
    select
        survey_id,
        wave,
        respondent_key,
        org_sector,
        org_size_band,
        region,
        stratum,
        weight,
        count(*) over stratum_window as stratum_n,
        case when not unweighted then sum(weight) over stratum_window end as stratum_population
    from joined
    window stratum_window as (partition by survey_id, wave, stratum)
)

select * from final
