-- grain: one row per survey × wave × skill × sector (org_sector 'all' = every sector)
-- The share of organisations rating a skill very or extremely important (4 or 5 on the 1-5
-- importance scale), among those rating it, with its Wilson interval (int_share_estimates,
-- measure 'skill_importance'), and the weighted mean importance. A suppressed cell hides every
-- count of its respondents (they add up over sectors); transforms/model/disclosure/marts.py adds the
-- secondary suppressions (suppression = 'secondary').
with estimates as (
    select *
    from int_share_estimates
    where measure = 'skill_importance'
),

importance as (
    select
        survey_id,
        wave,
        skill_code,
        case when grouping(org_sector) = 1 then 'all' else org_sector end as org_sector,
        sum(weight * importance) / sum(weight) as mean_importance
    from fct_skill_need
    where importance is not null
    group by grouping sets (
        (survey_id, wave, skill_code, org_sector),
        (survey_id, wave, skill_code)
    )
    having grouping(org_sector) = 1 or org_sector is not null
),

skills as (
    select skill_code, skill_label
    from dim_skill
),

joined as (
    select
        e.survey_id,
        e.wave,
        e.item_code as skill_code,
        coalesce(s.skill_label, e.item_code) as skill_label,
        e.org_sector,
        case when not e.suppressed then e.n_respondents end as n_respondents,
        case when not e.suppressed then e.n_flagged end as n_important,
        case when not e.suppressed then e.weighted_n end as weighted_n,
        case when not e.suppressed then e.n_eff end as n_eff,
        e.share,
        e.se,
        e.ci_low,
        e.ci_high,
        e.low_precision,
        case when not e.suppressed then i.mean_importance end as mean_importance,
        e.suppressed,
        case when e.suppressed then 'primary' end as suppression
    from estimates as e
    left join skills as s on s.skill_code = e.item_code
    left join importance as i
        on i.survey_id = e.survey_id
        and i.wave = e.wave
        and i.skill_code = e.item_code
        and i.org_sector = e.org_sector
),

final as (
    select * from joined
)

select * from final
order by survey_id, wave, skill_code, org_sector
