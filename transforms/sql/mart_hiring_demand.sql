-- grain: one row per survey × wave × role × horizon × sector (role_code / org_sector 'all' = total)
with estimates as (
    select *
    from int_total_estimates
    where measure = 'hiring'
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
            when e.item_code = 'all' then 'All roles'
            else coalesce(r.role_label, e.item_code)
        end as role_label,
        e.horizon,
        e.org_sector,
        e.n_respondents,
        e.n_reporting,
        e.weighted_n,
        e.total,
        e.se,
        e.ci_low,
        e.ci_high,
        e.suppressed
    from estimates as e
    left join roles as r on r.role_code = e.item_code
),

final as (
    select * from joined
)

select * from final
order by survey_id, wave, role_code, horizon, org_sector
