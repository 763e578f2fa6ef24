-- grain: one row per training offer × skill it covers
-- place_share: the share of the offer's places that trains for this skill, 1 / the number of
-- skills the offer covers. A place trains one person once: a programme covering three skills
-- supplies its places once in all, a third to each skill, never in full to every one.
with source_offer as (
    select offer_id, skills
    from ref_training_offer
    where skills is not null
),

unnested as (
    select offer_id, trim(unnest(string_split(skills, ';'))) as skill_code
    from source_offer
),

covered as (
    select distinct offer_id, skill_code
    from unnested
    where skill_code <> ''
),

final as (
    select offer_id, skill_code, 1.0 / count(*) over (partition by offer_id) as place_share
    from covered
)

select * from final
