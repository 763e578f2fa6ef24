-- grain: one row per role × horizon × sector of mart_hiring_demand for one survey wave
-- Estimates are blanked here as well as in the mart: a suppressed cell never reaches the report.
select
    role_code,
    role_label,
    horizon,
    org_sector,
    n_respondents,
    case when suppressed then null else n_reporting end as n_reporting,
    case when suppressed then null else weighted_n end as weighted_n,
    case when suppressed then null else total end as total,
    case when suppressed then null else se end as se,
    case when suppressed then null else ci_low end as ci_low,
    case when suppressed then null else ci_high end as ci_high,
    case when suppressed then null else low_precision end as low_precision,
    coalesce(suppressed, false) as suppressed,
    suppression
from mart_hiring_demand
where survey_id = $survey_id and wave = $wave
order by role_code, horizon, org_sector
