"""Use: batch parameter sweeps: an experiment designed, executed and stored apart.

``design`` reads an experiment file and samples its points (EMA Workbench's
parameters and samplers as data), ``points`` turns them into validated scenarios,
``execute`` runs them on any ``concurrent.futures.Executor``, ``store`` keeps each
finished group as a Parquet part file, and ``analyze`` reads the store back.
"""
