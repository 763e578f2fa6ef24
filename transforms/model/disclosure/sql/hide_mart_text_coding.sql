-- grain: secondary suppression of mart_text_coding rows listed in hidden_keys
update mart_text_coding
set
    n_coded = null,
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
    mart_text_coding.survey_id = h.survey_id
    and mart_text_coding.wave = h.wave
    and mart_text_coding.question_id = h.question_id
    and mart_text_coding.code = h.code
