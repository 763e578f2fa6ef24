-- grain: one row per survey × wave × measure × item × respondent who answered for the item
-- Measures: 'recruitment_difficulty' (flag: difficulty >= 3, i.e. very or extremely difficult;
-- item 'all': the respondent rated at least one role that difficult), 'skill_shortage' (flag:
-- shortage >= 3; item 'all': at least one skill that short), 'skill_importance' (flag:
-- importance >= 4, very or extremely important on the 1-5 scale; no 'all' item) and
-- 'training_preference' (flag: format selected; base: respondents with any
-- training_preference row in the wave). Each row carries the respondent's variance stratum and
-- N_h (stg_respondent) for the design-based standard errors of int_share_estimates.
with difficulty as (
    select
        survey_id, wave, 'recruitment_difficulty' as measure, role_code as item_code,
        respondent_key, org_sector, stratum, stratum_population, weight, difficulty >= 3 as flag
    from fct_recruitment_difficulty
    where difficulty is not null
),

shortage as (
    select
        survey_id, wave, 'skill_shortage' as measure, skill_code as item_code,
        respondent_key, org_sector, stratum, stratum_population, weight, shortage >= 3 as flag
    from fct_skill_need
    where shortage is not null
),

importance as (
    select
        survey_id, wave, 'skill_importance' as measure, skill_code as item_code,
        respondent_key, org_sector, stratum, stratum_population, weight, importance >= 4 as flag
    from fct_skill_need
    where importance is not null
),

rated_items as (
    select * from difficulty
    union all
    select * from shortage
),

any_item as (
    select
        survey_id, wave, measure, 'all' as item_code, respondent_key,
        any_value(org_sector) as org_sector, any_value(stratum) as stratum,
        any_value(stratum_population) as stratum_population, any_value(weight) as weight,
        bool_or(flag) as flag
    from rated_items
    group by survey_id, wave, measure, respondent_key
),

training_answerers as (
    select
        survey_id,
        wave,
        respondent_key,
        any_value(org_sector) as org_sector,
        any_value(stratum) as stratum,
        any_value(stratum_population) as stratum_population,
        any_value(weight) as weight,
        list(format_code) filter (where selected) as selected_formats
    from fct_training_preference
    group by survey_id, wave, respondent_key
),

training_formats as (
    select distinct survey_id, wave, format_code
    from fct_training_preference
),

training as (
    select
        a.survey_id, a.wave, 'training_preference' as measure, f.format_code as item_code,
        a.respondent_key, a.org_sector, a.stratum, a.stratum_population, a.weight,
        coalesce(list_contains(a.selected_formats, f.format_code), false) as flag
    from training_answerers as a
    inner join training_formats as f using (survey_id, wave)
),

ratings as (
    select * from rated_items
    union all
    select * from any_item
    union all
    select * from importance
    union all
    select * from training
),

final as (
    select
        survey_id,
        wave,
        measure,
        item_code,
        respondent_key,
        org_sector,
        stratum,
        stratum_population,
        weight,
        flag
    from ratings
)

select * from final
