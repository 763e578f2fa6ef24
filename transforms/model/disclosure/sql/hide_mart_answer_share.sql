-- grain: secondary suppression of mart_answer_share rows listed in hidden_keys
update mart_answer_share
set
    n_respondents = null,
    n_selected = null,
    weighted_n = null,
    n_eff = null,
    share = null,
    se = null,
    ci_low = null,
    ci_high = null,
    low_precision = null,
    suppressed = true,
    suppression = 'secondary'
from hidden_keys as h
where
    mart_answer_share.survey_id = h.survey_id
    and mart_answer_share.wave = h.wave
    and mart_answer_share.answer_key = h.answer_key
    and mart_answer_share.level = h.level
