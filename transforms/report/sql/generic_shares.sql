-- grain: one row per generic single-choice or multi-select question × item × option ×
-- dimension × level of one wave, with the question's text, place and group and the option's
-- text (every dimension repeats the 'all' level: the report takes it from org_sector)
select
    s.question_id,
    q.position,
    q.text as question_text,
    q.type as question_type,
    q.question_group,
    s.item_code,
    s.option_code,
    coalesce(l.label, s.option_code) as option_label,
    s.dimension,
    s.level,
    s.n_respondents,
    s.weighted_n,
    s.n_selected,
    s.share,
    s.se,
    s.ci_low,
    s.ci_high,
    s.low_precision,
    s.suppressed,
    s.suppression
from (
    select * from mart_answer_share
    where survey_id = $survey_id and wave = $wave
) as s
left join ref_question as q on q.survey_id = s.survey_id and q.question_id = s.question_id
left join ref_answer_label as l
    on l.survey_id = s.survey_id
    and l.question_id = s.question_id
    and l.option_code = s.option_code
order by q.position, s.dimension, s.level, s.item_code, l.position nulls last, s.option_code
