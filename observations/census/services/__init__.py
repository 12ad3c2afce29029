"""The writes of joint census campaigns: ``campaigns`` (set-up), ``counts`` (each PA's
count and its confirmation), ``reconciliation`` (the double-count flags)."""
