-- grain: one row per survey × wave × skill × role family (role_family 'all' = every role needing the skill)
-- Skill-gap index (docs/ARCHITECTURE.md, "Skill-gap index"). D = weighted 5-year hires into the
-- roles of the family that need the skill (stratified total, as mart_hiring_demand), S = the
-- skill's training places over the horizon (mart_demand_vs_supply; every family row sets its
-- demand against all of S, since places are not earmarked by role family), p = the share of
-- organisations reporting a shortage of the skill (all sectors).
--   gap = D - S            interval [D_low - S, D_high - S]        (S taken as certain)
--   gap_ratio = D / S      interval [D_low / S, D_high / S]        (NULL when S = 0)
--   shortage_weighted_demand = p·D, se² = D²·se_p² + p²·se_D² (delta method, p and D taken as
--   independent), interval clipped at 0; shortage_weighted_gap = p·D - S.
-- demand_cv and low_precision (cv > $max_cv) are those of D, the gap's only uncertain term.
-- Suppression: as the demand (int_total_estimates); every column built on D is hidden with it.
with family_demand as (
    select
        survey_id,
        wave,
        split_part(item_code, '/', 1) as skill_code,
        split_part(item_code, '/', 2) as role_family,
        n_respondents,
        n_reporting,
        weighted_n,
        total,
        se,
        ci_low,
        ci_high,
        cv,
        low_precision,
        suppressed
    from int_total_estimates
    where measure = 'skill_family_demand' and org_sector = 'all'
    union all
    select
        survey_id,
        wave,
        item_code as skill_code,
        'all' as role_family,
        n_respondents,
        n_reporting,
        weighted_n,
        total,
        se,
        ci_low,
        ci_high,
        cv,
        low_precision,
        suppressed
    from int_total_estimates
    where measure = 'skill_demand' and org_sector = 'all'
),

family_roles as (
    select rs.skill_code, coalesce(r.role_family, 'other') as role_family, count(*) as n_roles
    from ref_role_skill as rs
    left join dim_role as r using (role_code)
    group by all
    union all
    select skill_code, 'all' as role_family, count(*) as n_roles
    from ref_role_skill
    group by all
),

supply as (
    select survey_id, wave, skill_code, skill_label, n_offers, supply_places_5y
    from mart_demand_vs_supply
),

shortage as (
    select survey_id, wave, item_code as skill_code, share, se
    from int_share_estimates
    where measure = 'skill_shortage' and org_sector = 'all' and not suppressed
),

joined as (
    select
        d.survey_id,
        d.wave,
        d.skill_code,
        s.skill_label,
        d.role_family,
        coalesce(f.n_roles, 0) as n_roles,
        d.n_respondents,
        d.n_reporting,
        d.weighted_n,
        d.total as demand,
        d.se as demand_se,
        d.ci_low as demand_low,
        d.ci_high as demand_high,
        d.cv as demand_cv,
        d.low_precision,
        s.n_offers,
        s.supply_places_5y as supply,
        sh.share as shortage_share,
        sh.se as shortage_se,
        d.suppressed
    from family_demand as d
    inner join supply as s using (survey_id, wave, skill_code)
    left join family_roles as f using (skill_code, role_family)
    left join shortage as sh using (survey_id, wave, skill_code)
),

weighted as (
    select
        *,
        shortage_share * demand as weighted_demand,
        sqrt(
            demand * demand * shortage_se * shortage_se
            + shortage_share * shortage_share * demand_se * demand_se
        ) as weighted_se
    from joined
),

final as (
    select
        survey_id,
        wave,
        skill_code,
        skill_label,
        role_family,
        n_roles,
        case when n_respondents >= $min_cell or n_respondents = 0 then n_respondents end
            as n_respondents,
        case when not suppressed then n_reporting end as n_reporting,
        case when n_respondents >= $min_cell or n_respondents = 0 then weighted_n end
            as weighted_n,
        demand as demand_hires_5y,
        demand_se,
        demand_low as demand_ci_low,
        demand_high as demand_ci_high,
        demand_cv,
        low_precision,
        n_offers,
        supply as supply_places_5y,
        demand - supply as gap,
        demand_low - supply as gap_ci_low,
        demand_high - supply as gap_ci_high,
        demand / nullif(supply, 0) as gap_ratio,
        demand_low / nullif(supply, 0) as gap_ratio_ci_low,
        demand_high / nullif(supply, 0) as gap_ratio_ci_high,
        shortage_share,
        weighted_demand as shortage_weighted_demand,
        greatest(weighted_demand - $z * weighted_se, 0) as shortage_weighted_ci_low,
        weighted_demand + $z * weighted_se as shortage_weighted_ci_high,
        weighted_demand - supply as shortage_weighted_gap,
        suppressed,
        case when suppressed then 'primary' end as suppression
    from weighted
)

select * from final
order by survey_id, wave, skill_code, role_family = 'all', role_family
