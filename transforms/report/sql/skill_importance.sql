-- grain: one row per skill × sector of mart_skill_importance for one survey wave
-- Estimates are blanked here as well as in the mart: a suppressed cell never reaches the report.
select
    skill_code,
    skill_label,
    org_sector,
    n_respondents,
    case when suppressed then null else n_important end as n_important,
    case when suppressed then null else weighted_n end as weighted_n,
    case when suppressed then null else n_eff end as n_eff,
    case when suppressed then null else share end as share,
    case when suppressed then null else se end as se,
    case when suppressed then null else ci_low end as ci_low,
    case when suppressed then null else ci_high end as ci_high,
    case when suppressed then null else low_precision end as low_precision,
    case when suppressed then null else mean_importance end as mean_importance,
    coalesce(suppressed, false) as suppressed,
    suppression
from mart_skill_importance
where survey_id = $survey_id and wave = $wave
order by skill_code, org_sector
