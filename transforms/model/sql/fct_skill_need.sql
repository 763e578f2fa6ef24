-- grain: one row per weighted respondent × skill rated for importance and/or shortage
with source_skill_need as (
    select survey_id, wave, respondent_key, skill_code, importance, shortage
    from skill_need
),

joined as (
    select
        s.survey_id,
        s.wave,
        s.respondent_key,
        s.skill_code,
        s.importance,
        s.shortage,
        r.org_sector,
        r.org_size_band,
        r.stratum,
        r.weight,
        r.stratum_population
    from source_skill_need as s
    inner join stg_respondent as r using (survey_id, wave, respondent_key)
),

final as (
    select * from joined
)

select * from final
