-- grain: one row per weighted respondent × coded free-text question × code of the answer
-- The codes the free-text coder (transforms.model.text_coding, loaded as text_code) gave each
-- answer to a question with a coding scheme (ref_text_code); an answer no code matched has
-- one row with code 'uncoded' and no score ("n/a" and the like are answers, uncoded). Only
-- respondents who were weighted (stg_respondent) and answers that are not blank count.
with coded_questions as (
    select distinct survey_id, question_id
    from ref_text_code
),

answers as (
    select distinct f.survey_id, f.wave, f.respondent_key, f.question_id
    from free_text as f
    semi join coded_questions as q using (survey_id, question_id)
    where f.text is not null and trim(f.text) <> ''
),

codes as (
    select
        a.survey_id,
        a.wave,
        a.respondent_key,
        a.question_id,
        coalesce(c.code, 'uncoded') as code,
        c.score
    from answers as a
    left join text_code as c using (survey_id, wave, respondent_key, question_id)
),

final as (
    select
        c.survey_id,
        c.wave,
        c.respondent_key,
        c.question_id,
        c.code,
        c.score,
        r.org_sector,
        r.org_size_band,
        r.stratum,
        r.weight,
        r.stratum_population
    from codes as c
    inner join stg_respondent as r using (survey_id, wave, respondent_key)
)

select * from final
