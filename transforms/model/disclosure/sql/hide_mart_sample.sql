-- grain: secondary suppression of mart_sample rows listed in hidden_keys
-- The population is public, so the response rate and the weight would give the count back.
update mart_sample
set
    n_respondents = null,
    response_rate = null,
    weight = null,
    suppressed = true,
    suppression = 'secondary'
from hidden_keys as h
where
    mart_sample.survey_id = h.survey_id
    and mart_sample.wave = h.wave
    and mart_sample.org_sector = h.org_sector
    and mart_sample.org_size_band = h.org_size_band
