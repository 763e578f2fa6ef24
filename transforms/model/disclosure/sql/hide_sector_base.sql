-- grain: one sector's respondent count in mart_hiring_demand, hidden on every role row
update mart_hiring_demand
set n_respondents = null, weighted_n = null
where
    survey_id = $survey_id
    and wave = $wave
    and horizon = $horizon
    and org_sector = $org_sector
