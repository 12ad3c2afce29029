"""Pages of shared datasets (/exchange/datasets/): define, publish, browse, review, compare,
download; and the PA manager's list of open flags on the PA's records.

Thin: forms parse, exchange.datasets decides. A dataset someone may not read answers 404
(observations.access); a bad filter or an unknown version answers 400 or 404 with a
message in the reader's language, never 500.
"""
