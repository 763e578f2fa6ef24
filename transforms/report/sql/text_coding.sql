-- grain: one row per coded free-text question × code of mart_text_coding for one survey wave,
-- with the question's text and place in the questionnaire (the 'other' text of a multi-select,
-- <id>_other, has no question of its own: it takes the multi-select's place and text)
-- Estimates are blanked here as well as in the mart: a suppressed cell never reaches the report.
select
    t.question_id,
    coalesce(q.position, o.position) as position,
    coalesce(q.text, o.text) as question_text,
    q.question_id is null as other_text,
    t.scheme,
    t.code,
    t.code_label,
    t.code_position,
    t.n_answered,
    case when t.suppressed then null else t.n_coded end as n_coded,
    case when t.suppressed then null else t.share end as share,
    case when t.suppressed then null else t.ci_low end as ci_low,
    case when t.suppressed then null else t.ci_high end as ci_high,
    case when t.suppressed then null else t.low_precision end as low_precision,
    coalesce(t.suppressed, false) as suppressed,
    t.suppression
from (
    select * from mart_text_coding
    where survey_id = $survey_id and wave = $wave
) as t
left join ref_question as q on q.survey_id = t.survey_id and q.question_id = t.question_id
left join ref_question as o
    on o.survey_id = t.survey_id and t.question_id = o.question_id || '_other'
order by position, t.question_id, t.code_position, t.code
