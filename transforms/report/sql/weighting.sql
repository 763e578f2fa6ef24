-- grain: one row per survey wave of mart_weighting
select
    n_respondents,
    population,
    sum_weights,
    kish_deff,
    weighting_efficiency,
    method
from mart_weighting
where survey_id = $survey_id and wave = $wave
