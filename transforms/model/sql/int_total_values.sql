-- grain: one row per survey × wave × measure × item × horizon × respondent who answered the hiring question
-- Measures: 'hiring' (item = role_code, or 'all' for the sum over roles; per horizon) and
-- 'skill_demand' (item = skill_code: 5y hires in the roles that need the skill) and
-- 'skill_family_demand' (item = '<skill_code>/<role_family>': 5y hires in the roles of one
-- family that need the skill; a role without a family counts as 'other'). A respondent
-- who answered the hiring question (any hiring_need row in the wave) but gave no headcount for
-- an item counts as 0 there; respondents who did not answer are not in this model at all.
with answerers as (
    select r.survey_id, r.wave, r.respondent_key, r.org_sector, r.stratum, r.stratum_population
    from stg_respondent as r
    semi join fct_hiring_need as h using (survey_id, wave, respondent_key)
),

wave_roles as (
    select distinct survey_id, wave, role_code
    from fct_hiring_need
),

wave_horizons as (
    select distinct survey_id, wave, horizon
    from fct_hiring_need
),

headcounts as (
    select
        survey_id,
        wave,
        respondent_key,
        role_code,
        horizon,
        coalesce(sum(headcount), 0)::double as headcount
    from fct_hiring_need
    group by all
),

role_grid as (
    select
        a.survey_id,
        a.wave,
        a.respondent_key,
        a.org_sector,
        a.stratum,
        a.stratum_population,
        r.role_code,
        h.horizon,
        coalesce(c.headcount, 0)::double as y
    from answerers as a
    inner join wave_roles as r using (survey_id, wave)
    inner join wave_horizons as h using (survey_id, wave)
    left join headcounts as c using (survey_id, wave, respondent_key, role_code, horizon)
),

hiring as (
    select
        survey_id, wave, 'hiring' as measure, role_code as item_code, horizon,
        respondent_key, org_sector, stratum, stratum_population, y
    from role_grid
    union all
    select
        survey_id, wave, 'hiring' as measure, 'all' as item_code, horizon,
        respondent_key, org_sector, stratum, stratum_population, sum(y) as y
    from role_grid
    group by survey_id, wave, horizon, respondent_key, org_sector, stratum, stratum_population
),

skill_demand as (
    select
        a.survey_id,
        a.wave,
        'skill_demand' as measure,
        s.skill_code as item_code,
        '5y' as horizon,
        a.respondent_key,
        a.org_sector,
        a.stratum,
        a.stratum_population,
        coalesce(sum(c.headcount), 0)::double as y
    from answerers as a
    cross join dim_skill as s
    left join ref_role_skill as rs on rs.skill_code = s.skill_code
    left join headcounts as c
        on c.survey_id = a.survey_id
        and c.wave = a.wave
        and c.respondent_key = a.respondent_key
        and c.role_code = rs.role_code
        and c.horizon = '5y'
    group by all
),

skill_family_roles as (
    select rs.skill_code, coalesce(r.role_family, 'other') as role_family, rs.role_code
    from ref_role_skill as rs
    inner join dim_skill as s using (skill_code)
    left join dim_role as r using (role_code)
),

skill_families as (
    select distinct skill_code, role_family
    from skill_family_roles
),

skill_family_demand as (
    select
        a.survey_id,
        a.wave,
        'skill_family_demand' as measure,
        f.skill_code || '/' || f.role_family as item_code,
        '5y' as horizon,
        a.respondent_key,
        a.org_sector,
        a.stratum,
        a.stratum_population,
        coalesce(sum(c.headcount), 0)::double as y
    from answerers as a
    cross join skill_families as f
    inner join skill_family_roles as fr
        on fr.skill_code = f.skill_code and fr.role_family = f.role_family
    left join headcounts as c
        on c.survey_id = a.survey_id
        and c.wave = a.wave
        and c.respondent_key = a.respondent_key
        and c.role_code = fr.role_code
        and c.horizon = '5y'
    group by all
),

final as (
    select * from hiring
    union all
    select * from skill_demand
    union all
    select * from skill_family_demand
)

select * from final
