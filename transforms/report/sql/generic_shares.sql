-- grain: one row per generic single-choice or multi-select question × item × option of one
-- wave, all sectors, with the question's text and place and the option's text
select
    s.question_id,
    q.position,
    q.text as question_text,
    q.type as question_type,
    s.item_code,
    s.option_code,
    coalesce(l.label, s.option_code) as option_label,
    s.dimension,
    s.level,
    s.n_respondents,
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
    where survey_id = $survey_id and wave = $wave and dimension = 'org_sector' and level = 'all'
) as s
left join ref_question as q on q.survey_id = s.survey_id and q.question_id = s.question_id
left join ref_answer_label as l
    on l.survey_id = s.survey_id
    and l.question_id = s.question_id
    and l.option_code = s.option_code
order by q.position, s.item_code, s.share desc nulls last, s.option_code
