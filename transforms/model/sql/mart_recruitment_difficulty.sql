-- grain: one row per survey × wave × role × sector (role_code / org_sector 'all' = total)
-- A suppressed cell hides every count of its respondents (they add up over sectors);
-- transforms/model/disclosure/marts.py adds the secondary suppressions (suppression = 'secondary').
with estimates as (
    select *
    from int_share_estimates
    where measure = 'recruitment_difficulty'
),

roles as (
    select role_code, role_label
    from dim_role
),

joined as (
    select
        e.survey_id,
        e.wave,
        e.item_code as role_code,
        case
            when e.item_code = 'all' then 'Any role'
            else coalesce(r.role_label, e.item_code)
        end as role_label,
        e.org_sector,
        case when not e.suppressed then e.n_respondents end as n_respondents,
        case when not e.suppressed then e.n_flagged end as n_difficult,
        case when not e.suppressed then e.weighted_n end as weighted_n,
        case when not e.suppressed then e.n_eff end as n_eff,
        e.share,
        e.se,
        e.ci_low,
        e.ci_high,
        e.low_precision,
        e.suppressed,
        case when e.suppressed then 'primary' end as suppression
    from estimates as e
    left join roles as r on r.role_code = e.item_code
),

final as (
    select * from joined
)

select * from final
order by survey_id, wave, role_code, org_sector
