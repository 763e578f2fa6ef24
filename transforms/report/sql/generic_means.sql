-- grain: one row per generic numeric or ordinal question × item of one wave, all sectors,
-- with the question's text and place
select
    m.question_id,
    q.position,
    q.text as question_text,
    q.type as question_type,
    m.item_code,
    m.dimension,
    m.level,
    m.n_respondents,
    m.mean,
    m.se,
    m.ci_low,
    m.ci_high,
    m.low_precision,
    m.suppressed,
    m.suppression
from (
    select * from mart_answer_mean
    where survey_id = $survey_id and wave = $wave and dimension = 'org_sector' and level = 'all'
) as m
left join ref_question as q on q.survey_id = m.survey_id and q.question_id = m.question_id
order by q.position, m.item_code
