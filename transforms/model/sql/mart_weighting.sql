-- grain: one row per survey × wave
-- kish_deff = n·Σw² / (Σw)² (design effect due to unequal weights); weighting_efficiency =
-- 1 / kish_deff, the share of the sample size left after weighting. method and iterations come
-- from weighting_summary (one row per weighted wave; NULL when the wave has none).
with weights as (
    select survey_id, wave, weight, stratum
    from respondent_weight
),

runs as (
    select survey_id, wave, method, iterations
    from weighting_summary
),

frame as (
    select survey_id, sum(organisations)::bigint as population
    from ref_population_frame
    group by survey_id
),

summary as (
    select
        survey_id,
        wave,
        count(*) as n_respondents,
        count(distinct stratum) as n_strata,
        sum(weight) as sum_weights,
        count(*) * sum(weight * weight) / (sum(weight) * sum(weight)) as kish_deff
    from weights
    group by all
),

final as (
    select
        s.survey_id,
        s.wave,
        s.n_respondents,
        f.population,
        s.sum_weights,
        s.kish_deff,
        1 / s.kish_deff as weighting_efficiency,
        s.n_strata,
        r.method,
        r.iterations
    from summary as s
    left join frame as f using (survey_id)
    left join runs as r using (survey_id, wave)
)

select * from final
order by survey_id, wave
