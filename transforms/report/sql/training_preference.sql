-- grain: one row per training format of mart_training_preference for one survey wave
-- Estimates are blanked here as well as in the mart: a suppressed cell never reaches the report.
select
    format_code,
    format_label,
    n_base,
    case when suppressed then null else n_selected end as n_selected,
    case when suppressed then null else pct_cases end as pct_cases,
    case when suppressed then null else ci_low end as ci_low,
    case when suppressed then null else ci_high end as ci_high,
    case when suppressed then null else low_precision end as low_precision,
    case when suppressed then null else pct_responses end as pct_responses,
    coalesce(suppressed, false) as suppressed,
    suppression
from mart_training_preference
where survey_id = $survey_id and wave = $wave
order by format_code
