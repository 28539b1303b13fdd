"""Describe: a scenario file becomes a typed, frozen, validated description.

The schema (:mod:`~orgsim.scenario.schema`, :mod:`~orgsim.scenario.behaviour`), its
distributions, loading with ``extends`` and overrides, and the generated reference. Nothing
here knows of the simulation.
"""
