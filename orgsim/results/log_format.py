"""The event-log format orgsim reads and writes: the standard names of XES and its CSV form.

XES (IEEE 1849-2016) names an event's attributes by extension: ``concept:name`` (the
activity), ``org:resource``, ``org:group``, ``time:timestamp``, ``lifecycle:transition``;
its CSV form, as pm4py writes it, adds ``case:concept:name`` for the case and prefixes
every other case attribute with ``case:``. Reader and writer share these names, so a
simulated log reads back exactly as a real one.
"""

from __future__ import annotations

XES_NAMESPACE = "http://www.xes-standard.org/"

CASE = "case:concept:name"
ACTIVITY = "concept:name"
RESOURCE = "org:resource"
GROUP = "org:group"
TIMESTAMP = "time:timestamp"
LIFECYCLE = "lifecycle:transition"
CASE_PREFIX = "case:"

ROLES: dict[str, str] = {
    "case": CASE,
    "activity": ACTIVITY,
    "resource": RESOURCE,
    "group": GROUP,
    "timestamp": TIMESTAMP,
    "lifecycle": LIFECYCLE,
}
"""Each column's role and its standard name; case, activity and timestamp are required."""

REQUIRED_ROLES = ("case", "activity", "timestamp")
