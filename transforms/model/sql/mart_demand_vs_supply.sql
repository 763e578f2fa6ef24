-- grain: one row per survey × wave × skill
-- demand_hires_5y: weighted 5-year hires in the roles that need the skill (ref_role_skill),
-- estimated like mart_hiring_demand (stratified total, se with FPC, CI clipped at 0, cv and
-- low_precision: cv > $max_cv).
-- supply_places_5y: Σ places_per_year × years the offer runs within [wave year,
-- wave year + $horizon_years - 1] × the skill's place_share (wave year: stg_wave, the first
-- four-digit number in the wave name; an empty last_year means the offer is still running).
-- A place trains one person once, so an offer's places are split equally over the skills it covers
-- (stg_training_offer_skill) and add up over skills to the offer's places; n_offers counts
-- the offers covering the skill beside it. The catalogue's illustrative (invented) offers count
-- only with $include_illustrative_offers (mart_training_offer lists them all).
-- gap_ratio = demand / supply, NULL
-- when supply is 0 or demand is suppressed. A skill's demand is the sum of its roles' hires in
-- mart_hiring_demand: transforms/model/disclosure/marts.py protects the two together. Only waves
-- with answers to the hiring question have rows (a survey that did not ask has no demand).
with waves as (
    select w.survey_id, w.wave, w.wave_year
    from stg_wave as w
    where exists (
        select 1
        from int_total_estimates as t
        where t.measure = 'hiring' and t.survey_id = w.survey_id and t.wave = w.wave
    )
),

demand as (
    select *
    from int_total_estimates
    where measure = 'skill_demand' and org_sector = 'all'
),

shortage as (
    select survey_id, wave, item_code as skill_code, share as shortage_share
    from int_share_estimates
    where measure = 'skill_shortage' and org_sector = 'all'
),

offer_years as (
    select
        w.survey_id,
        w.wave,
        os.skill_code,
        o.offer_id,
        o.places_per_year * os.place_share as places_per_year,
        greatest(
            least(
                coalesce(o.last_year, w.wave_year + $horizon_years - 1),
                w.wave_year + $horizon_years - 1
            ) - greatest(o.first_year, w.wave_year) + 1,
            0
        ) as years_active
    from waves as w
    cross join stg_training_offer_skill as os
    inner join ref_training_offer as o using (offer_id)
    where not coalesce(o.illustrative, false) or $include_illustrative_offers
),

supply as (
    select
        survey_id,
        wave,
        skill_code,
        count(distinct offer_id) filter (where years_active > 0) as n_offers,
        sum(places_per_year * years_active) as supply_places
    from offer_years
    group by all
),

joined as (
    select
        w.survey_id,
        w.wave,
        s.skill_code,
        s.skill_label,
        coalesce(d.n_respondents, 0) as n_respondents,
        coalesce(d.n_reporting, 0) as n_reporting,
        d.weighted_n,
        d.total as demand_hires_5y,
        d.se as demand_se,
        d.ci_low as demand_ci_low,
        d.ci_high as demand_ci_high,
        d.cv as demand_cv,
        d.low_precision,
        sh.shortage_share,
        coalesce(p.n_offers, 0) as n_offers,
        case
            when w.wave_year is not null then coalesce(p.supply_places, 0)::double
        end as supply_places_5y,
        coalesce(d.suppressed, true) as suppressed
    from waves as w
    cross join dim_skill as s
    left join demand as d
        on d.survey_id = w.survey_id and d.wave = w.wave and d.item_code = s.skill_code
    left join shortage as sh
        on sh.survey_id = w.survey_id and sh.wave = w.wave and sh.skill_code = s.skill_code
    left join supply as p
        on p.survey_id = w.survey_id and p.wave = w.wave and p.skill_code = s.skill_code
),

final as (
    select
        survey_id,
        wave,
        skill_code,
        skill_label,
        case when n_respondents >= $min_cell or n_respondents = 0 then n_respondents end
            as n_respondents,
        case when not suppressed then n_reporting end as n_reporting,
        case when n_respondents >= $min_cell or n_respondents = 0 then weighted_n end
            as weighted_n,
        demand_hires_5y,
        demand_se,
        demand_ci_low,
        demand_ci_high,
        demand_cv,
        low_precision,
        shortage_share,
        n_offers,
        supply_places_5y,
        demand_hires_5y / nullif(supply_places_5y, 0) as gap_ratio,
        suppressed,
        case when suppressed then 'primary' end as suppression
    from joined
)

select * from final
order by survey_id, wave, skill_code
