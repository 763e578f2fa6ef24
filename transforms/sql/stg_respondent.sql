-- grain: one row per weighted respondent per survey wave
with source_respondent as (
    select survey_id, wave, respondent_key, org_sector, org_size_band, region
    from respondent
),

source_weight as (
    select survey_id, wave, respondent_key, stratum, weight
    from respondent_weight
),

joined as (
    select
        r.survey_id,
        r.wave,
        r.respondent_key,
        r.org_sector,
        r.org_size_band,
        r.region,
        w.stratum,
        w.weight
    from source_respondent as r
    inner join source_weight as w using (survey_id, wave, respondent_key)
),

final as (
    select
        *,
        count(*) over stratum_window as stratum_n,
        sum(weight) over stratum_window as stratum_population
    from joined
    window stratum_window as (partition by survey_id, wave, stratum)
)

select * from final
