-- grain: secondary suppression of mart_demand_vs_supply rows listed in hidden_keys
update mart_demand_vs_supply
set
    n_reporting = null,
    demand_hires_5y = null,
    demand_se = null,
    demand_ci_low = null,
    demand_ci_high = null,
    demand_cv = null,
    low_precision = null,
    gap_ratio = null,
    suppressed = true,
    suppression = 'secondary'
from hidden_keys as h
where
    mart_demand_vs_supply.survey_id = h.survey_id
    and mart_demand_vs_supply.wave = h.wave
    and mart_demand_vs_supply.skill_code = h.skill_code
