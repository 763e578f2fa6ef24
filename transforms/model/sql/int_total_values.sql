-- grain: one row per survey × wave × measure × item × horizon × respondent with a non-zero value
-- Measures: 'hiring' (item = role_code, or 'all' for the sum over roles; per horizon) and
-- 'skill_demand' (item = skill_code: 5y hires in the roles that need the skill) and
-- 'skill_family_demand' (item = '<skill_code>/<role_family>': 5y hires in the roles of one
-- family that need the skill; a role without a family counts as 'other'). Sparse: only the
-- values y <> 0 have rows. A respondent who answered the hiring question (any hiring_need row
-- in the wave) but has no row for an item has y = 0 there; int_total_estimates counts those
-- zeros from the answerers per stratum and sector. Each value is a sum over the respondent's
-- own hiring_need rows, so the model grows with the answers, not with respondents × items.
with source_hires as (
    select
        survey_id,
        wave,
        respondent_key,
        role_code,
        horizon,
        org_sector,
        stratum,
        stratum_population,
        headcount::double as y
    from fct_hiring_need
    where headcount <> 0
),

skill_roles as (
    select rs.skill_code, rs.role_code
    from ref_role_skill as rs
    inner join dim_skill as s using (skill_code)
),

skill_family_roles as (
    select rs.skill_code, coalesce(r.role_family, 'other') as role_family, rs.role_code
    from skill_roles as rs
    left join dim_role as r using (role_code)
),

hiring as (
    select
        survey_id, wave, 'hiring' as measure, role_code as item_code, horizon,
        respondent_key, org_sector, stratum, stratum_population, y
    from source_hires
    union all
    select
        survey_id, wave, 'hiring' as measure, 'all' as item_code, horizon,
        respondent_key, any_value(org_sector) as org_sector, any_value(stratum) as stratum,
        any_value(stratum_population) as stratum_population, sum(y) as y
    from source_hires
    group by survey_id, wave, horizon, respondent_key
    having sum(y) <> 0
),

skill_demand as (
    select
        h.survey_id, h.wave, 'skill_demand' as measure, s.skill_code as item_code,
        '5y' as horizon, h.respondent_key, any_value(h.org_sector) as org_sector,
        any_value(h.stratum) as stratum,
        any_value(h.stratum_population) as stratum_population, sum(h.y) as y
    from source_hires as h
    inner join skill_roles as s using (role_code)
    where h.horizon = '5y'
    group by h.survey_id, h.wave, s.skill_code, h.respondent_key
    having sum(h.y) <> 0
),

skill_family_demand as (
    select
        h.survey_id, h.wave, 'skill_family_demand' as measure,
        f.skill_code || '/' || f.role_family as item_code, '5y' as horizon,
        h.respondent_key, any_value(h.org_sector) as org_sector,
        any_value(h.stratum) as stratum,
        any_value(h.stratum_population) as stratum_population, sum(h.y) as y
    from source_hires as h
    inner join skill_family_roles as f using (role_code)
    where h.horizon = '5y'
    group by h.survey_id, h.wave, f.skill_code, f.role_family, h.respondent_key
    having sum(h.y) <> 0
),

sparse_values as (
    select * from hiring
    union all
    select * from skill_demand
    union all
    select * from skill_family_demand
),

final as (
    select
        survey_id,
        wave,
        measure,
        item_code,
        horizon,
        respondent_key,
        org_sector,
        stratum,
        stratum_population,
        y
    from sparse_values
)

select * from final
