-- grain: one row per weighted respondent × generic question × item × option (answer table)
with source_answer as (
    select survey_id, wave, respondent_key, question_id, item_code, option_code, value
    from answer
),

joined as (
    select
        a.survey_id,
        a.wave,
        a.respondent_key,
        a.question_id,
        a.item_code,
        a.option_code,
        a.value,
        r.org_sector,
        r.org_size_band,
        r.region,
        r.stratum,
        r.weight,
        r.stratum_population
    from source_answer as a
    inner join stg_respondent as r using (survey_id, wave, respondent_key)
),

final as (
    select * from joined
)

select * from final
