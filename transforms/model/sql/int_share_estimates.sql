-- grain: one row per survey × wave × measure × item × sector (org_sector 'all' = every sector)
-- Weighted share p = Σw·y / Σw over the respondents who answered for the item (y = flag), a
-- ratio estimator; a sector is a domain (raters outside it count with u = 0 below).
-- Standard error: Taylor linearisation over the variance strata, with the finite population
-- correction, as a survey package computes it (tests/test_reference_estimates.py checks it
-- against svy). With W = Σ_domain w and u_i = w_i (y_i - p) / W for raters in the domain:
--   Var = Σ_h (1 - n_h/N_h) · n_h/(n_h - 1) · Σ_{i in h} (u_i - ū_h)²
-- n_h the raters of the item in stratum h (every sector), N_h its population; 0 when n_h = 1
-- (not estimable); no FPC (1 - n_h/N_h := 1) when the wave is unweighted (N_h NULL).
-- Σu = (Σwy - pΣw) / W and Σu² = (Σw²y² - 2pΣw²y + p²Σw²) / W² (for y in {0, 1}, Σw²y² =
-- Σw²y). The same estimator gives the generic questions' means (measures 'mean:...').
-- Interval: Wilson with Kish's effective n = (Σw)² / Σw² in place of n:
--   centre = (p + z²/2n) / (1 + z²/n), half = z·sqrt(p(1-p)/n + z²/4n²) / (1 + z²/n).
-- low_precision (NCHS standards for proportions): n_eff < $min_n_eff, or the interval at least
-- $max_ci_width wide, or wider than $relative_ci_width_floor and than
-- $max_relative_ci_width × p.
-- Primary suppression: n_respondents < $min_cell.
-- Sparse evaluation of the training formats: every format has the same base (the respondents
-- with any training_preference row), so its n, Σw, Σw² per stratum and sector are summed once
-- over those respondents, and n_flagged, Σwy, Σw²y per format over the selections only (the
-- unselected formats add nothing to them). The rated items (difficulty, shortage, importance)
-- are one row per answer already: their sums come from int_share_ratings. Generic answers
-- (fct_answer) and the free-text codes (fct_text_code) are summed the same sparse way
-- (choice_sums).
with source_ratings as (
    select
        survey_id, wave, measure, item_code, org_sector, stratum, stratum_population, weight,
        flag, case when flag then 1.0 else 0.0 end::double as y
    from int_share_ratings
    where measure <> 'training_preference'
),

-- Generic numbers and scale points (fct_answer rows without an option): the same ratio
-- estimator with y the value, by each respondent dimension (measure 'mean:<dimension>',
-- item_code question_id and item_code joined by chr(31)); n_flagged is 0, and the Wilson
-- interval and the NCHS flag do not apply (mart_answer_mean builds its own). They are summed
-- with the rated items (rated_sums), whose flag is y in {0, 1}.
source_values as (
    select
        a.survey_id, a.wave, 'mean:' || d.dimension as measure,
        concat_ws(chr(31), a.question_id, a.item_code) as item_code,
        case d.dimension
            when 'org_sector' then a.org_sector
            when 'org_size_band' then a.org_size_band
            else a.region
        end as org_sector,
        a.stratum, a.stratum_population, a.weight, false as flag, a.value as y
    from fct_answer as a
    cross join (values ('org_sector'), ('org_size_band'), ('region')) as d (dimension)
    where a.option_code = '' and a.value is not null
),

source_rated as (
    select * from source_ratings
    union all
    select * from source_values
),

rated_sums as (
    select
        survey_id,
        wave,
        measure,
        item_code,
        stratum,
        case when grouping(org_sector) = 1 then 'all' else org_sector end as org_sector,
        grouping(org_sector) = 1 as whole_stratum,
        any_value(stratum_population) as population_h,
        count(*) as n_respondents,
        count_if(flag) as n_flagged,
        sum(weight) as sum_w,
        sum(weight * y) as sum_wy,
        sum(weight * weight) as sum_w2,
        sum(weight * weight * y) as sum_w2y,
        sum(weight * weight * y * y) as sum_w2y2
    from source_rated
    group by grouping sets (
        (survey_id, wave, measure, item_code, stratum, org_sector),
        (survey_id, wave, measure, item_code, stratum)
    )
    having grouping(org_sector) = 1 or org_sector is not null  -- NULL: the survey did not ask
),

-- Multi-select and single-choice answers, the sparse way: the training formats
-- (fct_training_preference) and the generic questions (fct_answer rows with an option). A
-- base is a question (and item) with its respondents, each once; an option's selections are
-- its rows with the flag. The generic answers are estimated by each respondent dimension in
-- turn: measure 'answer:<dimension>' (org_sector, org_size_band, region), whose org_sector
-- column then holds the level of that dimension (a domain, as a sector is). For the generic answers base_key is question_id and item_code, and
-- item_code question_id, item_code and option_code, joined by chr(31) (mart_answer_share takes
-- them apart); the training formats have one base per wave.
source_choices as (
    select
        survey_id, wave, 'training_preference' as measure, '' as base_key,
        format_code as item_code, respondent_key, org_sector, stratum, stratum_population,
        weight, selected as flag
    from fct_training_preference
    union all
    select
        a.survey_id, a.wave, 'answer:' || d.dimension as measure,
        concat_ws(chr(31), a.question_id, a.item_code),
        concat_ws(chr(31), a.question_id, a.item_code, a.option_code), a.respondent_key,
        case d.dimension
            when 'org_sector' then a.org_sector
            when 'org_size_band' then a.org_size_band
            else a.region
        end,
        a.stratum, a.stratum_population, a.weight, a.value = 1
    from fct_answer as a
    cross join (values ('org_sector'), ('org_size_band'), ('region')) as d (dimension)
    where a.option_code <> ''
    union all
    -- Free-text codes (fct_text_code, measure 'text_code'): the base is a question's
    -- answerers, each code (and 'uncoded') an option; base_key is question_id, item_code
    -- question_id and code joined by chr(31). A coded answer also gets an unflagged 'uncoded'
    -- row, so that the 'uncoded' option exists even when every answer got a code.
    select
        survey_id, wave, 'text_code', question_id, concat_ws(chr(31), question_id, code),
        respondent_key, org_sector, stratum, stratum_population, weight, true
    from fct_text_code
    union all
    select
        survey_id, wave, 'text_code', question_id, concat_ws(chr(31), question_id, 'uncoded'),
        respondent_key, any_value(org_sector), any_value(stratum),
        any_value(stratum_population), any_value(weight), false
    from fct_text_code
    group by survey_id, wave, question_id, respondent_key
    having bool_and(code <> 'uncoded')
),

choice_answerers as (
    select
        survey_id,
        wave,
        measure,
        base_key,
        any_value(org_sector) as org_sector,
        any_value(stratum) as stratum,
        any_value(stratum_population) as stratum_population,
        any_value(weight) as weight
    from source_choices
    group by survey_id, wave, measure, base_key, respondent_key
),

choice_options as (
    select distinct survey_id, wave, measure, base_key, item_code
    from source_choices
),

choice_base as (
    select
        survey_id,
        wave,
        measure,
        base_key,
        stratum,
        case when grouping(org_sector) = 1 then 'all' else org_sector end as org_sector,
        grouping(org_sector) = 1 as whole_stratum,
        any_value(stratum_population) as population_h,
        count(*) as n_respondents,
        sum(weight) as sum_w,
        sum(weight * weight) as sum_w2
    from choice_answerers
    group by grouping sets (
        (survey_id, wave, measure, base_key, stratum, org_sector),
        (survey_id, wave, measure, base_key, stratum)
    )
    having grouping(org_sector) = 1 or org_sector is not null
),

choice_selections as (
    select
        survey_id,
        wave,
        measure,
        item_code,
        stratum,
        case when grouping(org_sector) = 1 then 'all' else org_sector end as org_sector,
        count(*) as n_flagged,
        sum(weight) as sum_wy,
        sum(weight * weight) as sum_w2y
    from source_choices
    where flag
    group by grouping sets (
        (survey_id, wave, measure, item_code, stratum, org_sector),
        (survey_id, wave, measure, item_code, stratum)
    )
    having grouping(org_sector) = 1 or org_sector is not null
),

choice_sums as (
    select
        o.survey_id,
        o.wave,
        o.measure,
        o.item_code,
        b.stratum,
        b.org_sector,
        b.whole_stratum,
        b.population_h,
        b.n_respondents,
        coalesce(s.n_flagged, 0) as n_flagged,
        b.sum_w,
        coalesce(s.sum_wy, 0) as sum_wy,
        b.sum_w2,
        coalesce(s.sum_w2y, 0) as sum_w2y,
        coalesce(s.sum_w2y, 0) as sum_w2y2
    from choice_options as o
    inner join choice_base as b using (survey_id, wave, measure, base_key)
    left join choice_selections as s
        on s.survey_id = o.survey_id
        and s.wave = o.wave
        and s.measure = o.measure
        and s.item_code = o.item_code
        and s.stratum = b.stratum
        and s.org_sector = b.org_sector
),

stratum_sums as (
    select * from rated_sums
    union all
    select * from choice_sums
),

strata as (
    select survey_id, wave, measure, item_code, stratum, n_respondents as n_h, population_h
    from stratum_sums
    where whole_stratum
),

cells as (
    select
        survey_id,
        wave,
        measure,
        item_code,
        org_sector,
        sum(n_respondents)::bigint as n_respondents,
        sum(n_flagged)::bigint as n_flagged,
        sum(sum_w) as weighted_n,
        sum(sum_wy) as weighted_flagged,
        sum(sum_w2) as sum_squared_weights
    from stratum_sums
    group by all
),

shares as (
    select
        *,
        weighted_flagged / weighted_n as share,
        weighted_n * weighted_n / sum_squared_weights as n_eff
    from cells
),

stratum_terms as (
    select
        d.survey_id,
        d.wave,
        d.measure,
        d.item_code,
        d.org_sector,
        s.n_h,
        case
            when s.population_h is null then 1
            else greatest(1 - s.n_h / s.population_h, 0)
        end as fpc_h,
        (d.sum_wy - c.share * d.sum_w) / c.weighted_n as sum_u,
        (d.sum_w2y2 - 2 * c.share * d.sum_w2y + c.share * c.share * d.sum_w2)
        / (c.weighted_n * c.weighted_n) as sum_u2
    from stratum_sums as d
    inner join strata as s using (survey_id, wave, measure, item_code, stratum)
    inner join shares as c using (survey_id, wave, measure, item_code, org_sector)
),

variances as (
    select
        survey_id,
        wave,
        measure,
        item_code,
        org_sector,
        sum(
            case
                when n_h > 1
                    then fpc_h * n_h / (n_h - 1) * greatest(sum_u2 - sum_u * sum_u / n_h, 0)
                else 0
            end
        ) as variance
    from stratum_terms
    group by all
),

intervals as (
    select
        c.*,
        sqrt(v.variance) as se,
        (c.share + $z * $z / (2 * c.n_eff)) / (1 + $z * $z / c.n_eff) as wilson_centre,
        case
            when c.measure not like 'mean:%'
                then
                    $z
                    * sqrt(c.share * (1 - c.share) / c.n_eff + $z * $z / (4 * c.n_eff * c.n_eff))
                    / (1 + $z * $z / c.n_eff)
        end as wilson_half_width,
        c.n_respondents < $min_cell as suppressed
    from shares as c
    inner join variances as v using (survey_id, wave, measure, item_code, org_sector)
),

bounded as (
    select
        *,
        greatest(wilson_centre - wilson_half_width, 0) as low,
        least(wilson_centre + wilson_half_width, 1) as high
    from intervals
),

final as (
    select
        survey_id,
        wave,
        measure,
        item_code,
        org_sector,
        n_respondents,
        n_flagged,
        weighted_n,
        weighted_flagged,
        n_eff,
        case when not suppressed then share end as share,
        case when not suppressed then se end as se,
        case when not suppressed then low end as ci_low,
        case when not suppressed then high end as ci_high,
        case
            when not suppressed
                then
                    n_eff < $min_n_eff
                    or high - low >= $max_ci_width
                    or (
                        high - low > $relative_ci_width_floor
                        and high - low > $max_relative_ci_width * share
                    )
        end as low_precision,
        suppressed
    from bounded
)

select * from final
order by survey_id, wave, measure, item_code, org_sector
