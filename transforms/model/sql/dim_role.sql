-- grain: one row per role in the role taxonomy
with source_role as (
    select role_code, label, role_family, isco_code
    from ref_role
),

final as (
    select
        role_code,
        label as role_label,
        role_family,
        isco_code
    from source_role
)

select * from final
