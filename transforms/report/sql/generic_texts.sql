-- grain: one row per generic text question × item of one wave: how many respondents answered,
-- with the question's text, place and group (the answers are never stored)
select
    t.question_id,
    q.position,
    q.text as question_text,
    q.type as question_type,
    q.question_group,
    t.item_code,
    t.n_respondents,
    t.n_answered,
    t.suppressed,
    t.suppression
from (
    select * from mart_answer_text
    where survey_id = $survey_id and wave = $wave
) as t
left join ref_question as q on q.survey_id = t.survey_id and q.question_id = t.question_id
order by q.position, t.item_code
