-- grain: one row per survey × wave × generic question × item × option × dimension × level
-- (dimension org_sector, org_size_band or region; level 'all' = every level): the weighted share
-- of the question's respondents (for that item) who chose the option, for single-choice and
-- multi-select questions with target answer.value. Estimates, standard errors, Wilson
-- intervals and the low-precision flag are those of int_share_estimates (measures
-- 'answer:<dimension>'); a cell under $min_cell respondents is suppressed, and
-- transforms/model/disclosure/marts.py adds secondary suppression over each dimension's levels.
with estimates as (
    select *
    from int_share_estimates
    where measure like 'answer:%'
),

decoded as (
    select
        *,
        string_split(item_code, chr(31)) as parts,
        split_part(measure, ':', 2) as dimension,
        concat_ws(chr(31), item_code, split_part(measure, ':', 2)) as cell_key
    from estimates
),

joined as (
    select
        survey_id,
        wave,
        parts[1] as question_id,
        parts[2] as item_code,
        array_to_string(parts[3:], chr(31)) as option_code,
        dimension,
        cell_key as answer_key,
        org_sector as level,
        case when not suppressed then n_respondents end as n_respondents,
        case when not suppressed then n_flagged end as n_selected,
        case when not suppressed then weighted_n end as weighted_n,
        case when not suppressed then n_eff end as n_eff,
        share,
        se,
        ci_low,
        ci_high,
        low_precision,
        suppressed,
        case when suppressed then 'primary' end as suppression
    from decoded
),

final as (
    select * from joined
)

select * from final
order by survey_id, wave, question_id, item_code, option_code, dimension, level
