"""Benchmarks: each prints its figures beside its target and a baseline measured in the same run.

Run them all with ``make bench``; one with ``python -m bench NAME``. They are
never timed tests: a noisy machine must not fail the suite.
"""
