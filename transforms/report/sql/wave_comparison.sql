-- grain: one row per compared wave × measure × item × sector of mart_wave_comparison for one survey wave
-- A suppressed side is blanked here as well as in the mart, and so is a hidden difference.
select
    compared_wave,
    earlier_wave,
    later_wave,
    measure,
    item_code,
    item_label,
    org_sector,
    case when suppressed_earlier then null else estimate_earlier end as estimate_earlier,
    case when suppressed_earlier then null else ci_low_earlier end as ci_low_earlier,
    case when suppressed_earlier then null else ci_high_earlier end as ci_high_earlier,
    case when suppressed_earlier then null else low_precision_earlier end as low_precision_earlier,
    coalesce(suppressed_earlier, false) as suppressed_earlier,
    suppression_earlier,
    case when suppressed_later then null else estimate_later end as estimate_later,
    case when suppressed_later then null else ci_low_later end as ci_low_later,
    case when suppressed_later then null else ci_high_later end as ci_high_later,
    case when suppressed_later then null else low_precision_later end as low_precision_later,
    coalesce(suppressed_later, false) as suppressed_later,
    suppression_later,
    case when suppressed then null else difference end as difference,
    case when suppressed then null else difference_ci_low end as difference_ci_low,
    case when suppressed then null else difference_ci_high end as difference_ci_high,
    question_note,
    scope_note,
    coalesce(suppressed, false) as suppressed,
    suppression
from mart_wave_comparison
where survey_id = $survey_id and wave = $wave
order by compared_wave, measure, item_code, org_sector
