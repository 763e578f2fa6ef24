-- grain: one row per survey × wave × generic question × item × dimension × level (dimension
-- org_sector, org_size_band or region, each level a domain; level 'all' = every level):
-- the weighted mean of the numbers or scale points answered to a generic numeric or ordinal
-- question (target answer.value), over its respondents for the item.
-- Mean m = Σw·y / Σw, a ratio estimator; a sector is a domain. Standard error: Taylor
-- linearisation over the variance strata with the finite population correction, as for the
-- shares (int_share_estimates): with W = Σ_domain w and u_i = w_i (y_i - m) / W,
--   Var = Σ_h (1 - n_h/N_h) · n_h/(n_h - 1) · Σ_{i in h} (u_i - ū_h)²,
--   Σu = (Σwy - mΣw) / W, Σu² = (Σw²y² - 2mΣw²y + m²Σw²) / W².
-- Interval: m ± $z·se. low_precision: n_eff < $min_n_eff, or cv = se / |m| > $max_cv.
-- Primary suppression: n_respondents < $min_cell; transforms/model/disclosure/marts.py adds
-- secondary suppression over sectors (the weighted sums add up to 'all').
with source_values as (
    select
        a.survey_id, a.wave, a.question_id, a.item_code, d.dimension,
        case d.dimension
            when 'org_sector' then a.org_sector
            when 'org_size_band' then a.org_size_band
            else a.region
        end as level,
        a.stratum, a.stratum_population, a.weight, a.value
    from fct_answer as a
    cross join (values ('org_sector'), ('org_size_band'), ('region')) as d (dimension)
    where a.option_code = '' and a.value is not null
),

stratum_sums as (
    select
        survey_id,
        wave,
        question_id,
        item_code,
        stratum,
        dimension,
        case when grouping(level) = 1 then 'all' else level end as level,
        grouping(level) = 1 as whole_stratum,
        any_value(stratum_population) as population_h,
        count(*) as n_respondents,
        sum(weight) as sum_w,
        sum(weight * value) as sum_wy,
        sum(weight * weight) as sum_w2,
        sum(weight * weight * value) as sum_w2y,
        sum(weight * weight * value * value) as sum_w2y2
    from source_values
    group by grouping sets (
        (survey_id, wave, question_id, item_code, dimension, stratum, level),
        (survey_id, wave, question_id, item_code, dimension, stratum)
    )
    having grouping(level) = 1 or level is not null
),

strata as (
    select
        survey_id, wave, question_id, item_code, dimension, stratum, n_respondents as n_h,
        population_h
    from stratum_sums
    where whole_stratum
),

cells as (
    select
        survey_id,
        wave,
        question_id,
        item_code,
        dimension,
        level,
        sum(n_respondents)::bigint as n_respondents,
        sum(sum_w) as weighted_n,
        sum(sum_wy) as weighted_sum,
        sum(sum_w2) as sum_squared_weights
    from stratum_sums
    group by all
),

means as (
    select
        *,
        weighted_sum / weighted_n as mean,
        weighted_n * weighted_n / sum_squared_weights as n_eff
    from cells
),

stratum_terms as (
    select
        d.survey_id,
        d.wave,
        d.question_id,
        d.item_code,
        d.dimension,
        d.level,
        s.n_h,
        case
            when s.population_h is null then 1
            else greatest(1 - s.n_h / s.population_h, 0)
        end as fpc_h,
        (d.sum_wy - m.mean * d.sum_w) / m.weighted_n as sum_u,
        (d.sum_w2y2 - 2 * m.mean * d.sum_w2y + m.mean * m.mean * d.sum_w2)
        / (m.weighted_n * m.weighted_n) as sum_u2
    from stratum_sums as d
    inner join strata as s using (survey_id, wave, question_id, item_code, dimension, stratum)
    inner join means as m using (survey_id, wave, question_id, item_code, dimension, level)
),

variances as (
    select
        survey_id,
        wave,
        question_id,
        item_code,
        dimension,
        level,
        sum(
            case
                when n_h > 1
                    then fpc_h * n_h / (n_h - 1) * greatest(sum_u2 - sum_u * sum_u / n_h, 0)
                else 0
            end
        ) as variance
    from stratum_terms
    group by all
),

estimates as (
    select
        m.*,
        sqrt(v.variance) as se,
        m.n_respondents < $min_cell as suppressed
    from means as m
    inner join variances as v using (survey_id, wave, question_id, item_code, dimension, level)
),

final as (
    select
        survey_id,
        wave,
        question_id,
        item_code,
        dimension,
        concat_ws(chr(31), question_id, item_code, dimension) as answer_key,
        level,
        case when not suppressed then n_respondents end as n_respondents,
        case when not suppressed then weighted_n end as weighted_n,
        case when not suppressed then n_eff end as n_eff,
        case when not suppressed then mean end as mean,
        case when not suppressed then se end as se,
        case when not suppressed then mean - $z * se end as ci_low,
        case when not suppressed then mean + $z * se end as ci_high,
        case
            when not suppressed
                then n_eff < $min_n_eff or coalesce(se / nullif(abs(mean), 0) > $max_cv, false)
        end as low_precision,
        suppressed,
        case when suppressed then 'primary' end as suppression
    from estimates
)

select * from final
order by survey_id, wave, question_id, item_code, dimension, level
