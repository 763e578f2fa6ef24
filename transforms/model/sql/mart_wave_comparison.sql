-- grain: one row per survey × wave × compared wave × measure × item × sector
-- The same published estimate in two waves of a survey, side by side, and the change between
-- them. Built after disclosure control from the published marts, so a hidden estimate stays
-- hidden; the difference of a pair with a hidden side is hidden too (suppression 'secondary').
-- Each pair appears twice, once under each wave's name (wave = the report that shows it);
-- earlier_wave / later_wave order the pair by the year in the wave name, then the name.
--   difference = later - earlier, difference_se = sqrt(se_earlier² + se_later²): the waves
--   are treated as independent samples. They are not when the same organisations answer both
--   waves; with positively correlated answers the interval is then wider than it should be.
--   Interval: totals (measures hires_*) difference ± $z·difference_se; shares (difficulty,
--   shortage) Newcombe's hybrid score interval from the two Wilson intervals:
--   [d - sqrt((p_l - low_l)² + (high_e - p_e)²), d + sqrt((high_l - p_l)² + (p_e - low_e)²)].
-- question_note: the codebook's notes on the measure's question (and on the sector question
-- for sector rows) in either wave; scope_note: the two waves' scope notes.
with waves as (
    select
        survey_id,
        wave,
        row_number() over (
            partition by survey_id
            order by try_cast(nullif(regexp_extract(wave, '(\d{4})', 1), '') as integer) nulls last,
                wave
        ) as wave_order
    from (select distinct survey_id, wave from stg_respondent)
),

pairs as (
    select
        w.survey_id,
        w.wave,
        c.wave as compared_wave,
        case when w.wave_order < c.wave_order then w.wave else c.wave end as earlier_wave,
        case when w.wave_order < c.wave_order then c.wave else w.wave end as later_wave
    from waves as w
    inner join waves as c on c.survey_id = w.survey_id and c.wave <> w.wave
),

estimates as (
    select
        survey_id, wave, 'hires_' || horizon as measure, role_code as item_code,
        role_label as item_label, org_sector, 'total' as kind, n_respondents, weighted_n,
        total as estimate, se, ci_low, ci_high, low_precision, suppressed, suppression
    from mart_hiring_demand
    union all
    select
        survey_id, wave, 'recruitment_difficulty', role_code, role_label, org_sector, 'share',
        n_respondents, weighted_n, share, se, ci_low, ci_high, low_precision, suppressed,
        suppression
    from mart_recruitment_difficulty
    union all
    select
        survey_id, wave, 'skill_shortage', skill_code, skill_label, org_sector, 'share',
        n_respondents, weighted_n, share, se, ci_low, ci_high, low_precision, suppressed,
        suppression
    from mart_skill_shortage
),

pair_items as (
    select distinct
        p.survey_id, p.wave, p.compared_wave, p.earlier_wave, p.later_wave,
        e.measure, e.item_code, e.org_sector, e.kind
    from pairs as p
    inner join estimates as e
        on e.survey_id = p.survey_id and e.wave in (p.earlier_wave, p.later_wave)
),

joined as (
    select
        i.*,
        coalesce(l.item_label, e.item_label) as item_label,
        e.n_respondents as n_earlier,
        e.weighted_n as weighted_n_earlier,
        e.estimate as estimate_earlier,
        e.se as se_earlier,
        e.ci_low as ci_low_earlier,
        e.ci_high as ci_high_earlier,
        e.low_precision as low_precision_earlier,
        coalesce(e.suppressed, false) as suppressed_earlier,
        e.suppression as suppression_earlier,
        l.n_respondents as n_later,
        l.weighted_n as weighted_n_later,
        l.estimate as estimate_later,
        l.se as se_later,
        l.ci_low as ci_low_later,
        l.ci_high as ci_high_later,
        l.low_precision as low_precision_later,
        coalesce(l.suppressed, false) as suppressed_later,
        l.suppression as suppression_later
    from pair_items as i
    left join estimates as e
        on e.survey_id = i.survey_id and e.wave = i.earlier_wave and e.measure = i.measure
        and e.item_code = i.item_code and e.org_sector = i.org_sector
    left join estimates as l
        on l.survey_id = i.survey_id and l.wave = i.later_wave and l.measure = i.measure
        and l.item_code = i.item_code and l.org_sector = i.org_sector
),

differences as (
    select
        *,
        suppressed_earlier or suppressed_later as suppressed,
        estimate_later - estimate_earlier as d,
        sqrt(se_earlier * se_earlier + se_later * se_later) as d_se,
        sqrt(
            (estimate_later - ci_low_later) ** 2 + (ci_high_earlier - estimate_earlier) ** 2
        ) as share_down,
        sqrt(
            (ci_high_later - estimate_later) ** 2 + (estimate_earlier - ci_low_earlier) ** 2
        ) as share_up
    from joined
),

measure_questions as (
    select *
    from (
        values
            ('hires_5y', 'hiring_need.headcount', '5y'),
            ('hires_1y', 'hiring_need.headcount', '1y'),
            ('recruitment_difficulty', 'recruitment_difficulty.difficulty', ''),
            ('skill_shortage', 'skill_need.shortage', '')
    ) as m (measure, target, horizon)
),

question_notes as (
    select
        p.survey_id,
        p.wave,
        p.compared_wave,
        m.measure,
        string_agg(n.wave || ': ' || n.note, ' ' order by n.wave, n.question_id) as note
    from pairs as p
    cross join measure_questions as m
    inner join ref_question_note as n
        on n.survey_id = p.survey_id
        and n.wave in (p.earlier_wave, p.later_wave)
        and n.target = m.target
        and coalesce(n.horizon, '') = m.horizon
    group by all
),

sector_notes as (
    select
        p.survey_id,
        p.wave,
        p.compared_wave,
        string_agg(n.wave || ': ' || n.note, ' ' order by n.wave, n.question_id) as note
    from pairs as p
    inner join ref_question_note as n
        on n.survey_id = p.survey_id
        and n.wave in (p.earlier_wave, p.later_wave)
        and n.target = 'respondent.org_sector'
    group by all
),

scope_notes as (
    select
        p.survey_id,
        p.wave,
        p.compared_wave,
        string_agg(n.wave || ': ' || n.note, ' ' order by n.wave) as note
    from pairs as p
    inner join ref_question_note as n
        on n.survey_id = p.survey_id
        and n.wave in (p.earlier_wave, p.later_wave)
        and n.question_id is null
    group by all
),

final as (
    select
        d.survey_id,
        d.wave,
        d.compared_wave,
        d.earlier_wave,
        d.later_wave,
        d.measure,
        d.item_code,
        d.item_label,
        d.org_sector,
        d.n_earlier,
        d.weighted_n_earlier,
        d.estimate_earlier,
        d.se_earlier,
        d.ci_low_earlier,
        d.ci_high_earlier,
        d.low_precision_earlier,
        d.suppressed_earlier,
        d.suppression_earlier,
        d.n_later,
        d.weighted_n_later,
        d.estimate_later,
        d.se_later,
        d.ci_low_later,
        d.ci_high_later,
        d.low_precision_later,
        d.suppressed_later,
        d.suppression_later,
        case when not d.suppressed then d.d end as difference,
        case when not d.suppressed then d.d_se end as difference_se,
        case
            when d.suppressed then null
            when d.kind = 'total' then d.d - $z * d.d_se
            else d.d - d.share_down
        end as difference_ci_low,
        case
            when d.suppressed then null
            when d.kind = 'total' then d.d + $z * d.d_se
            else d.d + d.share_up
        end as difference_ci_high,
        nullif(
            concat_ws(' ', q.note, case when d.org_sector <> 'all' then s.note end), ''
        ) as question_note,
        c.note as scope_note,
        d.suppressed,
        case when d.suppressed then 'secondary' end as suppression
    from differences as d
    left join question_notes as q
        on q.survey_id = d.survey_id and q.wave = d.wave
        and q.compared_wave = d.compared_wave and q.measure = d.measure
    left join sector_notes as s
        on s.survey_id = d.survey_id and s.wave = d.wave and s.compared_wave = d.compared_wave
    left join scope_notes as c
        on c.survey_id = d.survey_id and c.wave = d.wave and c.compared_wave = d.compared_wave
)

select * from final
order by survey_id, wave, compared_wave, measure, item_code = 'all', item_code, org_sector
