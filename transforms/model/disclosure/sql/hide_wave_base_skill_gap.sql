-- grain: a wave's respondent count in mart_skill_gap, hidden with the 'all' sector base
update mart_skill_gap
set n_respondents = null, weighted_n = null
where survey_id = $survey_id and wave = $wave
