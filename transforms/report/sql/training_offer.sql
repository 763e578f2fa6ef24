-- grain: one row per training offer of mart_training_offer for one survey wave
-- Running offers first, then planned, then ended ones; by provider and programme within each.
select
    offer_id,
    provider,
    programme,
    level,
    places_per_year,
    first_year,
    last_year,
    status,
    skills_covered,
    source,
    illustrative,
    in_supply
from mart_training_offer
where survey_id = $survey_id and wave = $wave
order by
    case status when 'running' then 0 when 'planned' then 1 when 'ended' then 2 else 3 end,
    illustrative,
    provider,
    programme,
    offer_id
