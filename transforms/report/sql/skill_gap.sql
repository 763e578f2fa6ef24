-- grain: one row per skill × role family of mart_skill_gap for one survey wave
-- Everything built on a suppressed demand is blanked here as well as in the mart.
select
    skill_code,
    skill_label,
    role_family,
    n_roles,
    case when suppressed then null else demand_hires_5y end as demand_hires_5y,
    case when suppressed then null else demand_ci_low end as demand_ci_low,
    case when suppressed then null else demand_ci_high end as demand_ci_high,
    case when suppressed then null else low_precision end as low_precision,
    supply_places_5y,
    case when suppressed then null else gap end as gap,
    case when suppressed then null else gap_ci_low end as gap_ci_low,
    case when suppressed then null else gap_ci_high end as gap_ci_high,
    case when suppressed then null else gap_ratio end as gap_ratio,
    case when suppressed then null else gap_ratio_ci_low end as gap_ratio_ci_low,
    case when suppressed then null else gap_ratio_ci_high end as gap_ratio_ci_high,
    shortage_share,
    case when suppressed then null else shortage_weighted_gap end as shortage_weighted_gap,
    coalesce(suppressed, false) as suppressed,
    suppression
from mart_skill_gap
where survey_id = $survey_id and wave = $wave
order by skill_code, role_family
