-- grain: one row per skill in the skill taxonomy
with source_skill as (
    select skill_code, label, skill_family, esco_uri
    from ref_skill
),

roles_needing as (
    select skill_code, count(*) as n_roles
    from ref_role_skill
    group by skill_code
),

final as (
    select
        s.skill_code,
        s.label as skill_label,
        s.skill_family,
        s.esco_uri,
        coalesce(r.n_roles, 0) as n_roles
    from source_skill as s
    left join roles_needing as r using (skill_code)
)

select * from final
