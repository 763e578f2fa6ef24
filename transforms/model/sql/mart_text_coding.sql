-- grain: one row per survey × wave × coded free-text question × code, plus 'uncoded'
-- The organisations answering the question (the base, n_answered), those whose answer got the
-- code (n_coded) and their weighted share of the base with its design-based standard error
-- and Wilson interval (int_share_estimates, measure 'text_code': the same estimator as every
-- share mart). An answer can get several codes, so the codes' shares add up to more than the
-- share coded; 'uncoded' is the share of answers no code matched. Codes no answer got have no
-- row. Primary suppression: the whole question when fewer than $min_cell answered; a code's
-- row when fewer than $min_cell (but some) answers got it; transforms/model/disclosure/marts.py
-- adds secondary suppression over each question's codes. The answers are never published.
with estimates as (
    select *
    from int_share_estimates
    where measure = 'text_code' and org_sector = 'all'
),

decoded as (
    select
        *,
        split_part(item_code, chr(31), 1) as question_id,
        split_part(item_code, chr(31), 2) as code
    from estimates
),

joined as (
    select
        d.survey_id,
        d.wave,
        d.question_id,
        d.code,
        coalesce(l.scheme, any_value(l.scheme) over (partition by d.survey_id, d.question_id))
            as scheme,
        case
            when d.code = 'uncoded' then 'No code matched'
            else coalesce(l.label, d.code)
        end as code_label,
        case when d.code = 'uncoded' then 1000000 else l.position end as code_position,
        d.n_respondents,
        d.n_flagged,
        d.weighted_n,
        d.n_eff,
        d.share,
        d.se,
        d.ci_low,
        d.ci_high,
        d.low_precision,
        d.suppressed as base_suppressed,
        d.n_flagged > 0 and d.n_flagged < $min_cell as count_suppressed
    from decoded as d
    left join ref_text_code as l
        on l.survey_id = d.survey_id and l.question_id = d.question_id and l.code = d.code
),

final as (
    select
        survey_id,
        wave,
        question_id,
        scheme,
        code,
        code_label,
        code_position,
        case when not base_suppressed then n_respondents end as n_answered,
        case when not (base_suppressed or count_suppressed) then n_flagged end as n_coded,
        case when not (base_suppressed or count_suppressed) then weighted_n end as weighted_n,
        case when not (base_suppressed or count_suppressed) then n_eff end as n_eff,
        case when not (base_suppressed or count_suppressed) then share end as share,
        case when not (base_suppressed or count_suppressed) then se end as se,
        case when not (base_suppressed or count_suppressed) then ci_low end as ci_low,
        case when not (base_suppressed or count_suppressed) then ci_high end as ci_high,
        case when not (base_suppressed or count_suppressed) then low_precision end
            as low_precision,
        base_suppressed or count_suppressed as suppressed,
        case when base_suppressed or count_suppressed then 'primary' end as suppression
    from joined
)

select * from final
order by survey_id, wave, question_id, code_position, code
