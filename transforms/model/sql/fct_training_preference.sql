-- grain: one row per weighted respondent × training format, for respondents who answered
with source_preference as (
    select survey_id, wave, respondent_key, format_code, selected
    from training_preference
),

joined as (
    select
        p.survey_id,
        p.wave,
        p.respondent_key,
        p.format_code,
        p.selected,
        r.org_sector,
        r.org_size_band,
        r.stratum,
        r.weight,
        r.stratum_population
    from source_preference as p
    inner join stg_respondent as r using (survey_id, wave, respondent_key)
),

final as (
    select * from joined
)

select * from final
