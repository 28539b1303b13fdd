"""Measure: a run's flat records, the summary figures over them, intervals and labels.

:func:`~orgsim.results.run.simulate` runs a scenario and collects its results; metrics are pure
functions over the records, testable without a model.
"""
