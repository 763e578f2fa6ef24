-- grain: the all-sector shortage share repeated in mart_skill_gap, hidden when hidden at home
update mart_skill_gap
set
    shortage_share = null,
    shortage_weighted_demand = null,
    shortage_weighted_ci_low = null,
    shortage_weighted_ci_high = null,
    shortage_weighted_gap = null
from mart_skill_shortage as s
where
    s.survey_id = mart_skill_gap.survey_id
    and s.wave = mart_skill_gap.wave
    and s.skill_code = mart_skill_gap.skill_code
    and s.org_sector = 'all'
    and s.suppressed
