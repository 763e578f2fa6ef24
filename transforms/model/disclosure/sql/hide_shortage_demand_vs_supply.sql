-- grain: the all-sector shortage share repeated in mart_demand_vs_supply, hidden when hidden at home
update mart_demand_vs_supply
set shortage_share = null
from mart_skill_shortage as s
where
    s.survey_id = mart_demand_vs_supply.survey_id
    and s.wave = mart_demand_vs_supply.wave
    and s.skill_code = mart_demand_vs_supply.skill_code
    and s.org_sector = 'all'
    and s.suppressed
