-- grain: secondary suppression of mart_recruitment_difficulty rows listed in hidden_keys
update mart_recruitment_difficulty
set
    n_respondents = null,
    n_difficult = null,
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
    mart_recruitment_difficulty.survey_id = h.survey_id
    and mart_recruitment_difficulty.wave = h.wave
    and mart_recruitment_difficulty.role_code = h.role_code
    and mart_recruitment_difficulty.org_sector = h.org_sector
