-- grain: one row per survey × wave × generic question × item × dimension × level (dimension
-- org_sector, org_size_band or region, each level a domain; level 'all' = every level):
-- the weighted mean of the numbers or scale points answered to a generic numeric or ordinal
-- question (target answer.value), over its respondents for the item.
-- Mean, n, weighted n, n_eff and the design-based standard error are those of
-- int_share_estimates (measures 'mean:<dimension>': the same ratio estimator, with y the
-- value). Interval: mean ± $z·se. low_precision: n_eff < $min_n_eff, or cv = se / |mean| >
-- $max_cv. Primary suppression: n_respondents < $min_cell; transforms/model/disclosure/marts.py
-- adds secondary suppression over each dimension's levels.
with estimates as (
    select
        *,
        string_split(item_code, chr(31)) as parts,
        split_part(measure, ':', 2) as dimension,
        concat_ws(chr(31), item_code, split_part(measure, ':', 2)) as cell_key
    from int_share_estimates
    where measure like 'mean:%'
),

final as (
    select
        survey_id,
        wave,
        parts[1] as question_id,
        array_to_string(parts[2:], chr(31)) as item_code,
        dimension,
        cell_key as answer_key,
        org_sector as level,
        case when not suppressed then n_respondents end as n_respondents,
        case when not suppressed then weighted_n end as weighted_n,
        case when not suppressed then n_eff end as n_eff,
        share as mean,
        se,
        share - $z * se as ci_low,
        share + $z * se as ci_high,
        case
            when not suppressed
                then n_eff < $min_n_eff or coalesce(se / nullif(abs(share), 0) > $max_cv, false)
        end as low_precision,
        suppressed,
        case when suppressed then 'primary' end as suppression
    from estimates
)

select * from final
order by survey_id, wave, question_id, item_code, dimension, level
