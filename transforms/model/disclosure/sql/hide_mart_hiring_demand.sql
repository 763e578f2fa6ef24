-- grain: secondary suppression of mart_hiring_demand rows listed in hidden_keys
update mart_hiring_demand
set
    n_reporting = null,
    total = null,
    se = null,
    ci_low = null,
    ci_high = null,
    cv = null,
    low_precision = null,
    suppressed = true,
    suppression = 'secondary'
from hidden_keys as h
where
    mart_hiring_demand.survey_id = h.survey_id
    and mart_hiring_demand.wave = h.wave
    and mart_hiring_demand.role_code = h.role_code
    and mart_hiring_demand.horizon = h.horizon
    and mart_hiring_demand.org_sector = h.org_sector
