-- grain: one row per survey × wave × measure × item × sector (org_sector 'all' = every sector)
-- Weighted share p = Σw·flag / Σw over the respondents who answered for the item, Kish's
-- effective n = (Σw)² / Σw², se = sqrt(p(1-p)/n_eff), Wilson interval with n_eff:
--   centre = (p + z²/2n) / (1 + z²/n), half = z·sqrt(p(1-p)/n + z²/4n²) / (1 + z²/n).
-- Primary suppression: n_respondents < $min_cell.
with source_ratings as (
    select * from int_share_ratings
),

cells as (
    select
        survey_id,
        wave,
        measure,
        item_code,
        case when grouping(org_sector) = 1 then 'all' else org_sector end as org_sector,
        count(*) as n_respondents,
        count_if(flag)::bigint as n_flagged,
        sum(weight) as weighted_n,
        sum(case when flag then weight else 0 end) as weighted_flagged,
        sum(weight * weight) as sum_squared_weights
    from source_ratings
    group by grouping sets (
        (survey_id, wave, measure, item_code, org_sector),
        (survey_id, wave, measure, item_code)
    )
    having grouping(org_sector) = 1 or org_sector is not null  -- NULL: the survey did not ask
),

shares as (
    select
        *,
        weighted_flagged / weighted_n as share,
        weighted_n * weighted_n / sum_squared_weights as n_eff
    from cells
),

intervals as (
    select
        *,
        sqrt(share * (1 - share) / n_eff) as se,
        (share + $z * $z / (2 * n_eff)) / (1 + $z * $z / n_eff) as wilson_centre,
        $z * sqrt(share * (1 - share) / n_eff + $z * $z / (4 * n_eff * n_eff))
        / (1 + $z * $z / n_eff) as wilson_half_width,
        n_respondents < $min_cell as suppressed
    from shares
),

final as (
    select
        survey_id,
        wave,
        measure,
        item_code,
        org_sector,
        n_respondents,
        n_flagged,
        weighted_n,
        weighted_flagged,
        n_eff,
        case when not suppressed then share end as share,
        case when not suppressed then se end as se,
        case when not suppressed then greatest(wilson_centre - wilson_half_width, 0) end
            as ci_low,
        case when not suppressed then least(wilson_centre + wilson_half_width, 1) end
            as ci_high,
        suppressed
    from intervals
)

select * from final
order by survey_id, wave, measure, item_code, org_sector
