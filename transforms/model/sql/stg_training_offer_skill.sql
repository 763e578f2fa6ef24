-- grain: one row per training offer × skill it covers
with source_offer as (
    select offer_id, skills
    from ref_training_offer
    where skills is not null
),

unnested as (
    select offer_id, trim(unnest(string_split(skills, ';'))) as skill_code
    from source_offer
),

final as (
    select distinct offer_id, skill_code
    from unnested
    where skill_code <> ''
)

select * from final
