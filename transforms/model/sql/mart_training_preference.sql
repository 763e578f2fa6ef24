-- grain: one row per survey × wave × training format
-- pct_cases: weighted share of the respondents who answered the question (n_base) that chose
-- the format (fraction 0-1, Wilson interval); pct_responses: the format's weighted selections
-- over all weighted selections of the wave (fraction 0-1; adds up to 1 over formats). Every format
-- has the same base, so formats are suppressed all together (n_base < $min_cell) or not at all.
-- se and low_precision are those of pct_cases (int_share_estimates: design-based se, NCHS
-- standards); pct_responses describes the selections made and has no sampling error here.
with estimates as (
    select *
    from int_share_estimates
    where measure = 'training_preference' and org_sector = 'all'
),

labels as (
    select survey_id, code as format_code, label as format_label
    from ref_code
    where code_list = 'training_format'
),

joined as (
    select
        e.survey_id,
        e.wave,
        e.item_code as format_code,
        coalesce(l.format_label, e.item_code) as format_label,
        e.n_respondents as n_base,
        e.n_flagged as n_selected,
        e.weighted_n,
        e.n_eff,
        e.share as pct_cases,
        e.se,
        e.ci_low,
        e.ci_high,
        e.low_precision,
        e.weighted_flagged
        / nullif(sum(e.weighted_flagged) over (partition by e.survey_id, e.wave), 0)
            as pct_responses,
        e.suppressed
    from estimates as e
    left join labels as l on l.survey_id = e.survey_id and l.format_code = e.item_code
),

final as (
    select
        survey_id,
        wave,
        format_code,
        format_label,
        case when n_base >= $min_cell then n_base end as n_base,
        case when not suppressed then n_selected end as n_selected,
        case when not suppressed then weighted_n end as weighted_n,
        case when not suppressed then n_eff end as n_eff,
        pct_cases,
        se,
        ci_low,
        ci_high,
        low_precision,
        case when not suppressed then pct_responses end as pct_responses,
        suppressed,
        case when suppressed then 'primary' end as suppression
    from joined
)

select * from final
order by survey_id, wave, format_code
