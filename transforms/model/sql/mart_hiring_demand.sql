-- grain: one row per survey × wave × role × horizon × sector (role_code / org_sector 'all' = total)
-- Primary suppression comes from int_total_estimates. A suppressed cell also hides its count of
-- contributors; a sector's respondent count (the same on every role row) and weighted_n are
-- hidden when 0 < n_respondents < $min_cell. transforms/model/disclosure/marts.py then adds the
-- secondary suppressions (suppression = 'secondary').
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
        case when e.n_respondents >= $min_cell or e.n_respondents = 0 then e.n_respondents end
            as n_respondents,
        case when not e.suppressed then e.n_reporting end as n_reporting,
        case when e.n_respondents >= $min_cell or e.n_respondents = 0 then e.weighted_n end
            as weighted_n,
        e.total,
        e.se,
        e.ci_low,
        e.ci_high,
        e.cv,
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
order by survey_id, wave, role_code, horizon, org_sector
