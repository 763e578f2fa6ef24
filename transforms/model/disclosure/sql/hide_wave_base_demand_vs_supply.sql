-- grain: a wave's respondent count in mart_demand_vs_supply, hidden with the 'all' sector base
update mart_demand_vs_supply
set n_respondents = null, weighted_n = null
where survey_id = $survey_id and wave = $wave
