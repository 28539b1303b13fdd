"""The bounds of what a scenario may ask for, in one place, with the reason for each.

Each bound lies far beyond any organisation a scenario describes, and keeps a run
finite: its durations finite numbers, its figures within the request log's field widths
(:data:`orgsim.sim.requests.COLUMNS`), its memory and its work within a machine. The
schema enforces them; tests check that the log's fields hold the largest figures they
allow (:func:`max_handoffs`).
"""

from __future__ import annotations

import operator

from orgsim.scenario.errors import ScenarioError

MAX_PARAMETER = 1e12
"""Largest mean, value or bound of a distribution: draws stay finite (even a lognormal's
tail, ``1e12 * exp(6 sigma)`` with cv 10, is below 1e18), and sums of them too."""

MAX_QUANTILES = 1001
"""Most quantiles of an empirical distribution: per-mille steps, about 10 KB of YAML each."""

MIN_CV = 1e-6
"""Smallest coefficient of variation of a lognormal or gamma (a gamma's shape is 1 / cv**2,
which a smaller cv overflows; use a deterministic value for no variation)."""

MAX_CV = 10.0
"""Largest coefficient of variation."""

MAX_DAYS = 1_000_000
"""Longest run, in working days; also the longest interval of a periodic mechanism
(coaching, CRM readings, retrospectives) and the longest mandate cut: a longer one never
comes within a run, and 1e308 days made an event due at an infinite hour."""

MAX_SAMPLES = 1_000_000
"""Most time-series samples (Mesa steps) a run may take: ``days / sample_every_days``."""

MAX_ABSENCE_DAYS = 1_000.0
"""Longest mean absence (about four working years)."""

MIN_ABSENCE_SHARE = 1e-6
"""Smallest share of time away other than 0: below it, spells at work would be longer than
any float can tell from a horizon (use 0 for no absences)."""

MAX_MEETING_BLOCK_H = 10_000.0
"""Longest mean meeting block, in hours."""

MIN_AVAILABILITY = 1e-3
"""Smallest share of a manager's time for approvals: it divides review times."""

MAX_LOSS_SHARE = 100.0
"""Largest share of a request's value one wrong decision may cost (a hundredfold)."""

MAX_COORDINATION_COST = 100.0
"""Largest extra share of consult time per additional team member."""

MAX_WORK_FRACTION = 100.0
"""Largest share of the original work one rework takes."""

MIN_REQUEST_RATE = 1e-6
"""Smallest rate of requests per customer and day: one request in a million days
(smaller rates underflow to 0 when turned into an hourly rate of a whole organisation)."""

MAX_REQUEST_RATE = 1e6
"""Largest rate of requests per customer and day; also of referrals per customer and day
(``demand.new_customers``)."""

MIN_IDEA_RATE = 1e-6
"""Smallest rate of ideas per employee and day: one idea in a million days. The mean gap
between a whole organisation's ideas, in hours, must stay a distribution's parameter
(below :data:`MAX_PARAMETER`); a rate of 1e-140 made it 1e141 h, and a raw error."""

MAX_ARRIVALS_PER_DAY = 1e6
"""Most new accounts a day, unreferred: the largest customer base (:data:`MAX_CUSTOMERS`)
arriving in a single day."""

MAX_KINDS = 1_000
"""Most kinds of request (the log stores a kind in 16 bits)."""

MAX_KIND_SHARE = 1e6
"""Largest relative frequency of a kind."""

MAX_LAYERS = 50
"""Most layers above the teams (the log stores a level in 16 bits; no pyramid is that tall)."""

MAX_MEMBERS = 1_000
"""Most people in one node of a layer (a committee) or in one team."""

MAX_TEAMS = 100_000
"""Most teams."""

MAX_PEOPLE = 1_000_000
"""Most employees and managers together: each is a Mesa agent with a queue, about 1.6 kB
and 40 microseconds to build (measured), so at most about 1.6 GB and 40 s."""

MAX_CUSTOMERS = 1_000_000
"""Most customers in all, the new ones a run expects included (each candidate arrival
holds an account slot from the start): each is a Mesa agent and a few array slots, about
300 bytes (measured), so at most about 300 MB. Also the largest ``market_size``."""

MAX_CANDIDATES = 1_000
"""Most colleagues sampled for a lateral hand-off (each one is a draw per request)."""

MAX_REWORK_ROUNDS = 100
"""Most reworks of one request."""

MAX_QUEUE_THRESHOLD = 1_000_000
"""Largest queue length that triggers a lateral hand-off."""

MAX_REQUESTS = 10_000_000
"""Default limit of a run's expected work (:func:`orgsim.scenario.workload.expected_work`):
requests (customers x rate x days), ideas, and the rounds of the periodic mechanisms
(meetings, CRM readings, coaching) times the people or teams each round touches. About
ten minutes and a gigabyte of request log. ``simulate(max_requests=...)`` and ``orgsim
run --max-requests`` raise it."""

MAX_RUNS = 100_000
"""Default limit of the runs a comparison or a sweep makes (points x bases x replications):
at 0.1 to 1 s a run, three hours to a day on one core, and the design's tasks about 100 MB.
``orgsim compare --max-runs`` and ``orgsim sweep --max-runs`` raise it."""

MAX_BASES = 1_000
"""Most base scenarios of one experiment (each is loaded and validated before the first run)."""

MAX_SEED = 2**63 - 1
"""Largest seed: every result row carries its seed as a 64-bit integer."""

MAX_FILE_BYTES = 1_000_000
"""Largest scenario file read: a scenario is a few kilobytes."""

MAX_DOCUMENT_NODES = 100_000
"""Most values (mappings, lists and scalars, aliases counted each time they are used) in a
scenario after reading and merging: refuses alias bombs, within a file or across ``extends``."""

MAX_EXTENDS_DEPTH = 64
"""Longest chain of ``extends``."""

MAX_PATH_PARTS = 64
"""Most parts of an override's dotted path (a scenario is about six levels deep)."""


def max_hops() -> int:
    """Most hops up the route one request can make: every layer, in every round."""
    return (MAX_REWORK_ROUNDS + 1) * MAX_LAYERS


def max_handoffs() -> int:
    """Most hand-offs of one request: a lateral one, then each hop up and back down."""
    return 1 + 2 * max_hops()


def check_runs(runs: int, max_runs: int, what: str) -> None:
    """Refuse ``runs`` runs (counted before any is built) beyond ``max_runs``.

    Args:
        runs: how many runs the request makes.
        max_runs: the limit.
        what: how the count came about, for the message (``"2 scenarios x 20 replications"``).

    Raises:
        ScenarioError: naming the count, its reason, the limit and how to raise it.
    """
    if runs > max_runs:
        raise ScenarioError(
            f"{what}: {runs:,} runs, more than max_runs {max_runs:,}; make fewer, or raise "
            "the limit (--max-runs)"
        )


def check_count(value: object, name: str, low: int = 1) -> int:
    """``value`` if it is a whole number of at least ``low`` (not a bool, not a float).

    The Python API's counts (replications, workers, limits) are checked with this at its
    edge, so that a wrong argument is a :class:`ScenarioError` as on the command line.

    Raises:
        ScenarioError: naming ``name``, what was found and what is allowed.
    """
    try:
        number = None if isinstance(value, bool) else operator.index(value)
    except TypeError:
        number = None
    if number is None or number < low:
        raise ScenarioError(
            f"{name}: expected a whole number of at least {low}, found {value!r:.60}"
        )
    return number


def check_seed(seed: object) -> int:
    """``seed`` if it is a whole number in ``[0, MAX_SEED]``.

    Raises:
        ScenarioError: naming the seed and what is allowed (numpy takes no negative seeds).
    """
    try:
        value = -1 if isinstance(seed, bool) else operator.index(seed)  # numpy's ints too
    except TypeError:
        value = -1
    if not 0 <= value <= MAX_SEED:
        raise ScenarioError(
            f"seed: expected a whole number from 0 to 2**63 - 1, found {seed!r:.60}"
        )
    return value
