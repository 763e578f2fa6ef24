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
        respondent_key, org_sector, weight, difficulty >= 3 as flag
    from fct_recruitment_difficulty
    where difficulty is not null
),

shortage as (
    select
        survey_id, wave, 'skill_shortage' as measure, skill_code as item_code,
        respondent_key, org_sector, weight, shortage >= 3 as flag
    from fct_skill_need
    where shortage is not null
),

importance as (
    select
        survey_id, wave, 'skill_importance' as measure, skill_code as item_code,
        respondent_key, org_sector, weight, importance >= 4 as flag
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
        survey_id, wave, measure, 'all' as item_code,
        respondent_key, org_sector, any_value(weight) as weight, bool_or(flag) as flag
    from rated_items
    group by survey_id, wave, measure, respondent_key, org_sector
),

training_answerers as (
    select distinct survey_id, wave, respondent_key, org_sector, weight
    from fct_training_preference
),

training_formats as (
    select distinct survey_id, wave, format_code
    from fct_training_preference
),

training_selected as (
    select survey_id, wave, respondent_key, format_code, bool_or(selected) as selected
    from fct_training_preference
    group by all
),

training as (
    select
        a.survey_id, a.wave, 'training_preference' as measure, f.format_code as item_code,
        a.respondent_key, a.org_sector, a.weight, coalesce(s.selected, false) as flag
    from training_answerers as a
    inner join training_formats as f using (survey_id, wave)
    left join training_selected as s using (survey_id, wave, respondent_key, format_code)
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

respondents as (
    select survey_id, wave, respondent_key, stratum, stratum_population
    from stg_respondent
),

final as (
    select
        r.survey_id,
        r.wave,
        r.measure,
        r.item_code,
        r.respondent_key,
        r.org_sector,
        s.stratum,
        s.stratum_population,
        r.weight,
        r.flag
    from ratings as r
    inner join respondents as s using (survey_id, wave, respondent_key)
)

select * from final
