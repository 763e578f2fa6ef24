-- grain: secondary suppression of mart_skill_importance rows listed in hidden_keys
update mart_skill_importance
set
    n_respondents = null,
    n_important = null,
    weighted_n = null,
    n_eff = null,
    share = null,
    se = null,
    ci_low = null,
    ci_high = null,
    low_precision = null,
    mean_importance = null,
    suppressed = true,
    suppression = 'secondary'
from hidden_keys as h
where
    mart_skill_importance.survey_id = h.survey_id
    and mart_skill_importance.wave = h.wave
    and mart_skill_importance.skill_code = h.skill_code
    and mart_skill_importance.org_sector = h.org_sector
