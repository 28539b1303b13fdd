"""Simulate: the event loop, queues, people, the organisation and a request's life, as a Mesa model.

Imports only :mod:`orgsim.scenario`. :class:`~orgsim.sim.model.OrgModel` is the entry point.
"""
