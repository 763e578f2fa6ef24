-- grain: one row per weighted respondent × role × horizon with a stated headcount
with source_hiring as (
    select survey_id, wave, respondent_key, role_code, horizon, headcount
    from hiring_need
),

joined as (
    select
        h.survey_id,
        h.wave,
        h.respondent_key,
        h.role_code,
        h.horizon,
        h.headcount,
        r.org_sector,
        r.org_size_band,
        r.stratum,
        r.weight,
        r.stratum_population
    from source_hiring as h
    inner join stg_respondent as r using (survey_id, wave, respondent_key)
),

final as (
    select * from joined
)

select * from final
