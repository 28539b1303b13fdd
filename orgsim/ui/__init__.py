"""The browser UI for trainers: two organisations side by side, live (``orgsim ui``).

A thin adapter over :class:`orgsim.sim.model.OrgModel`: :mod:`.session` steps the
models and keeps what the charts draw, :mod:`.orgchart` and :mod:`.charts` draw it as
SVG, :mod:`.settings` turns the controls into scenarios, :mod:`.app` is the Solara page
and :mod:`.server` serves it. Nothing here decides how an organisation behaves.
"""
