-- grain: secondary suppression of mart_answer_mean rows listed in hidden_keys
update mart_answer_mean
set
    n_respondents = null,
    weighted_n = null,
    n_eff = null,
    mean = null,
    se = null,
    ci_low = null,
    ci_high = null,
    low_precision = null,
    suppressed = true,
    suppression = 'secondary'
from hidden_keys as h
where
    mart_answer_mean.survey_id = h.survey_id
    and mart_answer_mean.wave = h.wave
    and mart_answer_mean.answer_key = h.answer_key
    and mart_answer_mean.level = h.level
