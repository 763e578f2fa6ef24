-- grain: one row per survey × wave with respondents
-- wave_year: the first four-digit number in the wave name ('2022', 'spring-2024' -> 2024),
-- NULL when it holds none; the year a wave's training supply and catalogue status count from.
with waves as (
    select distinct survey_id, wave
    from stg_respondent
),

final as (
    select
        survey_id,
        wave,
        try_cast(nullif(regexp_extract(wave, '(\d{4})', 1), '') as integer) as wave_year
    from waves
)

select * from final
