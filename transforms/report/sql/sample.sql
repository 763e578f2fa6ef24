-- grain: one row per sector × size band of mart_sample for one survey wave
select
    org_sector,
    org_size_band,
    population,
    n_respondents,
    response_rate,
    weight,
    coalesce(suppressed, false) as suppressed,
    suppression
from mart_sample
where survey_id = $survey_id and wave = $wave
order by org_sector = 'all', org_sector, org_size_band = 'all', org_size_band
