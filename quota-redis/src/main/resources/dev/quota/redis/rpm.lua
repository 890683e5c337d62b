-- rpm: increments a requests-per-minute bucket counter, creating it with its TTL in the same step.
--
-- KEYS[1] the bucket counter
-- ARGV[1] TTL ms
--
-- Reply: the count including this request

return q_count(KEYS[1], ARGV[1])
