-- grain: one row per skill of mart_demand_vs_supply for one survey wave
-- Demand estimates are blanked when suppressed; supply comes from the public catalogue.
select
    skill_code,
    skill_label,
    case when suppressed then null else demand_hires_5y end as demand_hires_5y,
    case when suppressed then null else demand_ci_low end as demand_ci_low,
    case when suppressed then null else demand_ci_high end as demand_ci_high,
    case when suppressed then null else low_precision end as low_precision,
    case when suppressed then null else shortage_share end as shortage_share,
    supply_places_5y,
    case when suppressed then null else gap_ratio end as gap_ratio,
    coalesce(suppressed, false) as suppressed,
    suppression
from mart_demand_vs_supply
where survey_id = $survey_id and wave = $wave
order by skill_code
