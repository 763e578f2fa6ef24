-- grain: one row per survey × wave × measure × item × horizon × sector (org_sector 'all' = every sector)
-- Post-stratified totals over the respondents who answered the hiring question. In post-stratum
-- h, n_h answerers stand for N_h organisations (N_h = the stratum's sum of weights), so each
-- answerer carries N_h / n_h (the weight itself when everyone in h answered). A sector is a
-- domain: answerers outside it count as 0; respondents without a sector (NULL: the survey did
-- not ask) count in the 'all' row only.
--   total = Σ_h (N_h / n_h) Σ_{i in h} y_i
--   Var   = Σ_h N_h² (1 - n_h/N_h) s_h² / n_h, s_h² the sample variance of y (zeros outside the
--           domain) over all n_h answerers of stratum h; 0 when n_h = 1 (not estimable)
--   CI    = total ± $z·se, the lower bound clipped at 0
-- Unweighted waves (stratum_population NULL: no population frame, every weight 1): N_h is
-- unknown, so each answerer counts once (N_h := n_h, the total is the answerers' sum) and
-- there is no finite population correction (1 - n_h/N_h := 1): Var = n_h s_h², the variance
-- of a sum over a simple random sample drawn with replacement.
-- cv = se / total (NULL when the total is 0); low_precision: cv > $max_cv.
-- Primary suppression: n_respondents < $min_cell, or 0 < n_reporting < $min_cell.
with source_values as (
    select * from int_total_values
),

strata as (
    select
        survey_id,
        wave,
        measure,
        item_code,
        horizon,
        stratum,
        count(*) as n_h,
        any_value(stratum_population) as population_h
    from source_values
    group by all
),

domain_sums as (
    select
        survey_id,
        wave,
        measure,
        item_code,
        horizon,
        stratum,
        case when grouping(org_sector) = 1 then 'all' else org_sector end as org_sector,
        count(*) as n_respondents,
        count_if(y > 0)::bigint as n_reporting,
        sum(y) as sum_y,
        sum(y * y) as sum_y2
    from source_values
    group by grouping sets (
        (survey_id, wave, measure, item_code, horizon, stratum, org_sector),
        (survey_id, wave, measure, item_code, horizon, stratum)
    )
    having grouping(org_sector) = 1 or org_sector is not null
),

stratum_terms as (
    select
        d.*,
        s.n_h,
        coalesce(s.population_h, s.n_h) as population_h,
        coalesce(s.population_h, s.n_h) / s.n_h as stratum_weight,
        case
            when s.n_h > 1
                then greatest((d.sum_y2 - d.sum_y * d.sum_y / s.n_h) / (s.n_h - 1), 0)
            else 0
        end as variance_h,
        case
            when s.population_h is null then 1
            else greatest(1 - s.n_h / s.population_h, 0)
        end as fpc_h
    from domain_sums as d
    inner join strata as s using (survey_id, wave, measure, item_code, horizon, stratum)
),

estimates as (
    select
        survey_id,
        wave,
        measure,
        item_code,
        horizon,
        org_sector,
        sum(n_respondents)::bigint as n_respondents,
        sum(n_reporting)::bigint as n_reporting,
        sum(stratum_weight * n_respondents) as weighted_n,
        sum(stratum_weight * sum_y) as total,
        sqrt(sum(population_h * population_h * fpc_h * variance_h / n_h)) as se
    from stratum_terms
    group by all
),

flagged as (
    select
        *,
        n_respondents < $min_cell
        or (n_reporting > 0 and n_reporting < $min_cell) as suppressed
    from estimates
),

final as (
    select
        survey_id,
        wave,
        measure,
        item_code,
        horizon,
        org_sector,
        n_respondents,
        n_reporting,
        weighted_n,
        case when not suppressed then total end as total,
        case when not suppressed then se end as se,
        case when not suppressed then greatest(total - $z * se, 0) end as ci_low,
        case when not suppressed then total + $z * se end as ci_high,
        case when not suppressed then se / nullif(total, 0) end as cv,
        case when not suppressed then coalesce(se / nullif(total, 0) > $max_cv, false) end
            as low_precision,
        suppressed
    from flagged
)

select * from final
order by survey_id, wave, measure, item_code, horizon, org_sector
