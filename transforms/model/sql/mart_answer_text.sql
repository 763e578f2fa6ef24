-- grain: one row per survey × wave × text question × item: how many of the wave's weighted
-- respondents answered it. Generic text answers (target answer.value) are counted at ingest and
-- never stored; the model's free-text answers (free_text, redacted) are never published. A
-- count under $min_cell other than 0 is suppressed, as every count of the marts.
with text_questions as (
    select survey_id, question_id
    from ref_question
    where type = 'text' and target in ('answer.value', 'free_text.text')
),

text_answers as (
    select survey_id, wave, respondent_key, question_id, item_code
    from fct_answer
    union all
    select f.survey_id, f.wave, f.respondent_key, f.question_id, '' as item_code
    from free_text as f
    semi join stg_respondent as r using (survey_id, wave, respondent_key)
    where f.text is not null and trim(f.text) <> ''
),

answered as (
    select a.survey_id, a.wave, a.question_id, a.item_code, count(distinct a.respondent_key) as n
    from text_answers as a
    semi join text_questions as q on a.survey_id = q.survey_id and a.question_id = q.question_id
    group by all
),

respondents as (
    select survey_id, wave, count(*) as n_respondents
    from stg_respondent
    group by all
),

final as (
    select
        a.survey_id,
        a.wave,
        a.question_id,
        a.item_code,
        r.n_respondents,
        case when a.n >= $min_cell then a.n end as n_answered,
        a.n < $min_cell as suppressed,
        case when a.n < $min_cell then 'primary' end as suppression
    from answered as a
    inner join respondents as r using (survey_id, wave)
)

select * from final
order by survey_id, wave, question_id, item_code
