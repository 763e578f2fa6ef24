-- grain: one row per weighted respondent × role rated for recruitment difficulty
with source_difficulty as (
    select survey_id, wave, respondent_key, role_code, difficulty
    from recruitment_difficulty
),

joined as (
    select
        d.survey_id,
        d.wave,
        d.respondent_key,
        d.role_code,
        d.difficulty,
        r.org_sector,
        r.org_size_band,
        r.stratum,
        r.weight,
        r.stratum_population
    from source_difficulty as d
    inner join stg_respondent as r using (survey_id, wave, respondent_key)
),

final as (
    select * from joined
)

select * from final
