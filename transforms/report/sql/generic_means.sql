-- grain: one row per generic numeric or ordinal question × item × dimension × level of one
-- wave, with the question's text, place and group and the item's text (every dimension
-- repeats the 'all' level: the report takes it from org_sector)
select
    m.question_id,
    q.position,
    q.text as question_text,
    q.type as question_type,
    q.question_group,
    m.item_code,
    coalesce(l.label, m.item_code) as item_label,
    m.dimension,
    m.level,
    m.n_respondents,
    m.weighted_n,
    m.mean,
    m.se,
    m.ci_low,
    m.ci_high,
    m.low_precision,
    m.suppressed,
    m.suppression
from (
    select * from mart_answer_mean
    where survey_id = $survey_id and wave = $wave
) as m
left join ref_question as q on q.survey_id = m.survey_id and q.question_id = m.question_id
left join ref_item_label as l
    on l.survey_id = m.survey_id
    and l.question_id = m.question_id
    and l.item_code = m.item_code
order by q.position, m.dimension, m.level, l.position nulls last, m.item_code
