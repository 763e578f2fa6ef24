-- grain: one row per survey × wave × measure × item × horizon × sector (org_sector 'all' = every sector)
-- Post-stratified totals over the respondents who answered the hiring question. In post-stratum
-- h, n_h answerers stand for N_h organisations (N_h = the stratum's sum of weights), so each
-- answerer carries N_h / n_h (the weight itself when everyone in h answered). A sector is a
-- domain: answerers outside it count as 0; respondents without a sector (NULL: the survey did
-- not ask) count in the 'all' row only.
--   total = Σ_h (N_h / n_h) Σ_{i in h} y_i
--   Var   = Σ_h N_h² (1 - n_h/N_h) s_h² / n_h, s_h² the sample variance of y (zeros outside the
--           domain) over all n_h answerers of stratum h; 0 when n_h = 1 (not estimable)
--   CI    = total ± $z·se, the lower bound clipped at 0
-- Unweighted waves (stratum_population NULL: no population frame, every weight 1): N_h is
-- unknown, so each answerer counts once (N_h := n_h, the total is the answerers' sum) and
-- there is no finite population correction (1 - n_h/N_h := 1): Var = n_h s_h², the variance
-- of a sum over a simple random sample drawn with replacement.
-- cv = se / total (NULL when the total is 0); low_precision: cv > $max_cv.
-- Primary suppression: n_respondents < $min_cell, or 0 < n_reporting < $min_cell.
-- Sparse evaluation, from the stated headcounts and never a respondent × item grid: an item is a
-- set I of roles whose hires it sums (one role; 'all': every role; skill_demand: the roles
-- needing the skill; skill_family_demand: those of one family), y_i = Σ_{r in I} m_r h_ir with
-- h_ir respondent i's hires for role r at the item's horizon and m_r how often ref_role_skill
-- lists the role for the item (1 as a rule). Zeros add nothing to the sums, so n_h and
-- n_respondents are the answerers per stratum and sector (counted once, for every item alike),
-- and per stratum and sector, over the non-zero h_ir only:
--   Σy  = Σ_{r in I} m_r Σ_i h_ir
--   Σy² = Σ_{r, r' in I} m_r m_r' Σ_i h_ir h_ir'      (products of one respondent's hires)
--   n_reporting = number of answerers whose pattern (the roles they stated hires for) meets I:
--   headcounts are never negative (HEADCOUNT_RANGE), so y_i > 0 exactly then.
-- The work grows with the stated hires (the pairs per respondent and horizon at most), not with
-- respondents × items.
-- Order-independent, so built on every core (manifest parallel: true): Σy, Σy² and the counts
-- are sums of integers (headcounts are whole numbers, summed as HUGEINT: exact in any order),
-- and the sums over the strata are taken in stratum order (list_sum of a list ordered by
-- stratum), not in the order the threads happen to deliver the rows.
with source_hires as not materialized (
    select survey_id, wave, respondent_key, role_code, horizon, org_sector, stratum, headcount
    from fct_hiring_need
),

answerers as (
    select r.survey_id, r.wave, r.org_sector, r.stratum, r.stratum_population
    from stg_respondent as r
    semi join source_hires as h using (survey_id, wave, respondent_key)
),

hiring_cells as (
    select survey_id, wave, role_code, horizon
    from source_hires
    group by all
),

wave_roles as (
    select distinct survey_id, wave, role_code
    from hiring_cells
),

wave_horizons as (
    select distinct survey_id, wave, horizon
    from hiring_cells
),

waves as (
    select distinct survey_id, wave
    from wave_horizons
),

skill_roles as (
    select rs.skill_code, coalesce(r.role_family, 'other') as role_family, rs.role_code
    from ref_role_skill as rs
    inner join dim_skill as s using (skill_code)
    left join dim_role as r using (role_code)
),

items as (
    select r.survey_id, r.wave, 'hiring' as measure, r.role_code as item_code, h.horizon
    from wave_roles as r
    inner join wave_horizons as h using (survey_id, wave)
    union all
    select survey_id, wave, 'hiring' as measure, 'all' as item_code, horizon
    from wave_horizons
    union all
    select w.survey_id, w.wave, 'skill_demand' as measure, s.skill_code as item_code, '5y'
    from waves as w
    cross join dim_skill as s
    union all
    select
        w.survey_id,
        w.wave,
        'skill_family_demand' as measure,
        f.skill_code || '/' || f.role_family as item_code,
        '5y' as horizon
    from waves as w
    cross join (select distinct skill_code, role_family from skill_roles) as f
),

item_roles as (
    select survey_id, wave, measure, item_code, horizon, item_code as role_code, 1 as m
    from items
    where measure = 'hiring' and item_code <> 'all'
    union all
    select h.survey_id, h.wave, 'hiring' as measure, 'all' as item_code, h.horizon, r.role_code, 1
    from wave_horizons as h
    inner join wave_roles as r using (survey_id, wave)
    union all
    select
        w.survey_id, w.wave, 'skill_demand' as measure, s.skill_code as item_code,
        '5y' as horizon, s.role_code, count(*) as m
    from waves as w
    cross join skill_roles as s
    group by all
    union all
    select
        w.survey_id, w.wave, 'skill_family_demand' as measure,
        s.skill_code || '/' || s.role_family as item_code, '5y' as horizon, s.role_code,
        count(*) as m
    from waves as w
    cross join skill_roles as s
    group by all
),

stated as (
    select
        survey_id,
        wave,
        horizon,
        any_value(org_sector) as org_sector,
        any_value(stratum) as stratum,
        list({'role_code': role_code, 'y': headcount}) as hires,
        list_sort(list(role_code) filter (where headcount > 0)) as pattern
    from source_hires
    where headcount <> 0
    group by survey_id, wave, horizon, respondent_key
),

role_sums as (
    select
        s.survey_id,
        s.wave,
        s.horizon,
        s.stratum,
        case when grouping(s.org_sector) = 1 then 'all' else s.org_sector end as org_sector,
        h.hire.role_code,
        sum(h.hire.y) as sum_y
    from stated as s, unnest(s.hires) as h(hire)
    group by grouping sets (
        (s.survey_id, s.wave, s.horizon, s.stratum, s.org_sector, h.hire.role_code),
        (s.survey_id, s.wave, s.horizon, s.stratum, h.hire.role_code)
    )
    having grouping(s.org_sector) = 1 or s.org_sector is not null
),

role_products as (
    select
        s.survey_id,
        s.wave,
        s.horizon,
        s.stratum,
        case when grouping(s.org_sector) = 1 then 'all' else s.org_sector end as org_sector,
        a.hire.role_code as role_a,
        b.hire.role_code as role_b,
        sum(a.hire.y * b.hire.y) as sum_ab
    from stated as s, unnest(s.hires) as a(hire), unnest(s.hires) as b(hire)
    group by grouping sets (
        (s.survey_id, s.wave, s.horizon, s.stratum, s.org_sector, role_a, role_b),
        (s.survey_id, s.wave, s.horizon, s.stratum, role_a, role_b)
    )
    having grouping(s.org_sector) = 1 or s.org_sector is not null
),

patterns as (
    select
        survey_id,
        wave,
        horizon,
        stratum,
        case when grouping(org_sector) = 1 then 'all' else org_sector end as org_sector,
        pattern,
        count(*) as n_respondents
    from stated
    where pattern is not null
    group by grouping sets (
        (survey_id, wave, horizon, stratum, org_sector, pattern),
        (survey_id, wave, horizon, stratum, pattern)
    )
    having grouping(org_sector) = 1 or org_sector is not null
),

item_role_lists as (
    select survey_id, wave, measure, item_code, horizon, list(role_code) as roles
    from item_roles
    group by all
),

pattern_items as (  -- the patterns that meet each item
    select
        p.survey_id,
        p.wave,
        i.measure,
        i.item_code,
        p.horizon,
        p.stratum,
        p.org_sector,
        p.n_respondents
    from item_role_lists as i
    inner join patterns as p
        on p.survey_id = i.survey_id
        and p.wave = i.wave
        and p.horizon = i.horizon
        and list_has_any(p.pattern, i.roles)
),

item_terms as (
    select
        i.survey_id, i.wave, i.measure, i.item_code, i.horizon, s.stratum, s.org_sector,
        0 as n_reporting, i.m * s.sum_y as sum_y, 0 as sum_y2
    from item_roles as i
    inner join role_sums as s using (survey_id, wave, horizon, role_code)
    union all
    select
        a.survey_id, a.wave, a.measure, a.item_code, a.horizon, p.stratum, p.org_sector,
        0 as n_reporting, 0 as sum_y, a.m * b.m * p.sum_ab as sum_y2
    from item_roles as a
    inner join item_roles as b using (survey_id, wave, measure, item_code, horizon)
    inner join role_products as p
        on p.survey_id = a.survey_id
        and p.wave = a.wave
        and p.horizon = a.horizon
        and p.role_a = a.role_code
        and p.role_b = b.role_code
    union all
    select
        survey_id, wave, measure, item_code, horizon, stratum, org_sector,
        n_respondents as n_reporting, 0 as sum_y, 0 as sum_y2
    from pattern_items
),

value_sums as (
    select
        survey_id,
        wave,
        measure,
        item_code,
        horizon,
        stratum,
        org_sector,
        sum(n_reporting)::bigint as n_reporting,
        sum(sum_y)::double as sum_y,
        sum(sum_y2)::double as sum_y2
    from item_terms
    group by all
),

domains as (
    select
        survey_id,
        wave,
        stratum,
        case when grouping(org_sector) = 1 then 'all' else org_sector end as org_sector,
        grouping(org_sector) = 1 as whole_stratum,
        count(*) as n_respondents,
        any_value(stratum_population) as population_h
    from answerers
    group by grouping sets (
        (survey_id, wave, stratum, org_sector),
        (survey_id, wave, stratum)
    )
    having grouping(org_sector) = 1 or org_sector is not null
),

strata as (
    select survey_id, wave, stratum, n_respondents as n_h, population_h
    from domains
    where whole_stratum
),

domain_sums as (
    select
        i.survey_id,
        i.wave,
        i.measure,
        i.item_code,
        i.horizon,
        d.stratum,
        d.org_sector,
        d.n_respondents,
        coalesce(v.n_reporting, 0) as n_reporting,
        coalesce(v.sum_y, 0) as sum_y,
        coalesce(v.sum_y2, 0) as sum_y2
    from items as i
    inner join domains as d using (survey_id, wave)
    left join value_sums as v
        on v.survey_id = i.survey_id
        and v.wave = i.wave
        and v.measure = i.measure
        and v.item_code = i.item_code
        and v.horizon = i.horizon
        and v.stratum = d.stratum
        and v.org_sector = d.org_sector
),

stratum_terms as (
    select
        d.*,
        s.n_h,
        coalesce(s.population_h, s.n_h) as population_h,
        coalesce(s.population_h, s.n_h) / s.n_h as stratum_weight,
        case
            when s.n_h > 1
                then greatest((d.sum_y2 - d.sum_y * d.sum_y / s.n_h) / (s.n_h - 1), 0)
            else 0
        end as variance_h,
        case
            when s.population_h is null then 1
            else greatest(1 - s.n_h / s.population_h, 0)
        end as fpc_h
    from domain_sums as d
    inner join strata as s using (survey_id, wave, stratum)
),

estimates as (
    select
        survey_id,
        wave,
        measure,
        item_code,
        horizon,
        org_sector,
        sum(n_respondents)::bigint as n_respondents,
        sum(n_reporting)::bigint as n_reporting,
        list_sum(list(stratum_weight * n_respondents order by stratum)) as weighted_n,
        list_sum(list(stratum_weight * sum_y order by stratum)) as total,
        sqrt(
            list_sum(list(population_h * population_h * fpc_h * variance_h / n_h order by stratum))
        ) as se
    from stratum_terms
    group by all
),

flagged as (
    select
        *,
        n_respondents < $min_cell
        or (n_reporting > 0 and n_reporting < $min_cell) as suppressed
    from estimates
),

final as (
    select
        survey_id,
        wave,
        measure,
        item_code,
        horizon,
        org_sector,
        n_respondents,
        n_reporting,
        weighted_n,
        case when not suppressed then total end as total,
        case when not suppressed then se end as se,
        case when not suppressed then greatest(total - $z * se, 0) end as ci_low,
        case when not suppressed then total + $z * se end as ci_high,
        case when not suppressed then se / nullif(total, 0) end as cv,
        case when not suppressed then coalesce(se / nullif(total, 0) > $max_cv, false) end
            as low_precision,
        suppressed
    from flagged
)

select * from final
order by survey_id, wave, measure, item_code, horizon, org_sector
