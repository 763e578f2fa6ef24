-- grain: one row per survey × wave × training offer of the catalogue (ref_training_offer)
-- Every offer as a wave's report lists it, whether or not it counts in the supply: status in
-- the wave year (stg_wave: the first four-digit number in the wave name; NULL without one):
-- 'planned' when it starts later, 'ended' when its last year is before it, else 'running'
-- (an empty last_year means still running); the skills it covers as the taxonomy names them, in
-- alphabetical order; illustrative: an invented example (a demonstration catalogue's entry);
-- in_supply: mart_demand_vs_supply counts its places (every offer that is not illustrative,
-- and the illustrative ones too with $include_illustrative_offers).
with covered as (
    select
        os.offer_id,
        count(*) as n_skills,
        string_agg(
            coalesce(s.skill_label, os.skill_code), '; '
            order by coalesce(s.skill_label, os.skill_code)
        ) as skills_covered
    from stg_training_offer_skill as os
    left join dim_skill as s using (skill_code)
    group by os.offer_id
),

final as (
    select
        w.survey_id,
        w.wave,
        o.offer_id,
        o.provider,
        o.programme,
        o.level,
        o.places_per_year,
        o.first_year,
        o.last_year,
        case
            when w.wave_year is null then null
            when o.first_year > w.wave_year then 'planned'
            when o.last_year < w.wave_year then 'ended'
            else 'running'
        end as status,
        coalesce(c.n_skills, 0) as n_skills,
        c.skills_covered,
        o.source,
        coalesce(o.illustrative, false) as illustrative,
        not coalesce(o.illustrative, false) or $include_illustrative_offers as in_supply
    from stg_wave as w
    cross join ref_training_offer as o
    left join covered as c using (offer_id)
)

select * from final
order by survey_id, wave, offer_id
