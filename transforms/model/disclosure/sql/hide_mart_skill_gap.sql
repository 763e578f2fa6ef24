-- grain: secondary suppression of mart_skill_gap rows listed in hidden_keys
-- Every column built on the demand goes: gap + places, ratio × places and the shortage-weighted
-- demand ÷ share would each give the demand back.
update mart_skill_gap
set
    n_reporting = null,
    demand_hires_5y = null,
    demand_se = null,
    demand_ci_low = null,
    demand_ci_high = null,
    demand_cv = null,
    low_precision = null,
    gap = null,
    gap_ci_low = null,
    gap_ci_high = null,
    gap_ratio = null,
    gap_ratio_ci_low = null,
    gap_ratio_ci_high = null,
    shortage_weighted_demand = null,
    shortage_weighted_ci_low = null,
    shortage_weighted_ci_high = null,
    shortage_weighted_gap = null,
    suppressed = true,
    suppression = 'secondary'
from hidden_keys as h
where
    mart_skill_gap.survey_id = h.survey_id
    and mart_skill_gap.wave = h.wave
    and mart_skill_gap.skill_code = h.skill_code
    and mart_skill_gap.role_family = h.role_family
