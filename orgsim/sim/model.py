"""``OrgModel``: the Mesa model of an organisation, its customers and their requests.

Time is continuous, in working hours, and advances event by event on orgsim's own
loop (:mod:`orgsim.sim.engine`). Mesa's ``step()`` advances one sampling interval
(``run.sample_every_days``): ``model.steps`` counts intervals, ``model.time`` is
Mesa's clock in intervals, ``model.clock_h`` the event clock in hours, and after
step k ``clock_h == k * interval_h``. The DataCollector samples once a step, so
Mesa's tools (DataCollector, SolaraViz, batch_run) work unchanged.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Literal

import mesa
import numpy as np

from orgsim.bulk import without_collector
from orgsim.scenario import limits, workload
from orgsim.scenario.errors import CapacityWarning
from orgsim.scenario.loading import Overrides, load_scenario
from orgsim.scenario.schema import Scenario
from orgsim.sim import registry
from orgsim.sim.agents import Accounts, Customer
from orgsim.sim.booking import Timesheet
from orgsim.sim.customer_base import Candidates, Newcomers
from orgsim.sim.engine import EventLoop
from orgsim.sim.express import ExpressLoop
from orgsim.sim.ideas import IdeaFlow
from orgsim.sim.life import RequestLife
from orgsim.sim.mechanism import Mechanism, Setting
from orgsim.sim.monitoring import CrmMonitoring
from orgsim.sim.organisation import build
from orgsim.sim.requests import RequestLog
from orgsim.sim.retrospectives import TeamRetrospectives
from orgsim.sim.tallies import Streams

DEFAULT_SCENARIO = Path(__file__).resolve().parents[2] / "scenarios" / "hierarchy.yaml"


class OrgModel(mesa.Model):
    """An organisation serving its customers, run event by event.

    Args:
        scenario: a scenario file, mapping or validated :class:`Scenario`.
        rng: the run's seed; every random stream is spawned from it.
        overrides: dotted-path overrides of the scenario (``{"run.days": 30}``).
        keep_log: keep one row per request (memory grows with requests).
        max_requests: refuse a scenario expected to make more requests than this.
        engine: ``"express"`` runs a request's common steps inline
            (:mod:`orgsim.sim.express`); ``"general"`` runs every event through its
            callback. Both give byte-identical results.

    Raises:
        ScenarioError: a bad scenario or seed, or a run beyond ``max_requests``.

    Warns:
        CapacityWarning: the customers' work exceeds the employees' time.
    """

    @without_collector  # tens of thousands of agents: no collector passes while built
    def __init__(
        self,
        scenario: Scenario | str | Path | Mapping[str, Any] = DEFAULT_SCENARIO,
        rng: int | None = None,
        overrides: Overrides = None,
        keep_log: bool = True,
        max_requests: int = limits.MAX_REQUESTS,
        engine: Literal["express", "general"] = "express",
    ) -> None:
        if rng is not None:
            rng = limits.check_seed(rng)
        self.spec = load_scenario(scenario, overrides)
        workload.check(self.spec, max_requests)
        if (problem := workload.overload(self.spec)) is not None:
            warnings.warn(problem, CapacityWarning, stacklevel=2)
        super().__init__(rng=rng)
        run = self.spec.run
        self.interval_h = run.sample_every_days * run.hours_per_day
        self.horizon_h = run.days * run.hours_per_day
        self.warmup_h = run.warmup_days * run.hours_per_day
        self.loop = EventLoop()
        streams = Streams.spawn(self.rng)
        self.org = build(self, self.spec, streams.work, streams.people)
        candidates = self._candidates(streams)
        self.accounts, self.customers = self._create_customers(len(candidates))
        self.log = RequestLog([k.name for k in self.spec.demand.kinds], self.org.levels, keep_log)
        self.life = RequestLife(self.spec, self.loop, self.org, self.accounts, streams, self.log)
        self.timesheet = self.life.timesheet = Timesheet(self.loop, self.warmup_h)
        setting = Setting(
            self.spec, self.loop, self.org, self.life, self.accounts, streams, candidates,
            len(self.customers), self._admit, self.timesheet,
        )  # fmt: skip
        self.mechanisms = _start_mechanisms(setting)
        self._churned_at_warmup = 0
        self.loop.schedule(self.warmup_h, self._end_warmup)
        self.life.start()
        self._run_until = (
            ExpressLoop(self.loop, self.life).run_until
            if engine == "express"
            else self.loop.run_until
        )
        self.datacollector = mesa.DataCollector(model_reporters=_REPORTERS)
        self.datacollector.collect(self)

    @property
    def newcomers(self) -> Newcomers:
        """New accounts' arrivals (built whether or not any can arrive)."""
        return self.mechanisms["newcomers"]

    @property
    def monitoring(self) -> CrmMonitoring | None:
        """CRM monitoring, if on."""
        return self.mechanisms.get("monitoring")

    @property
    def retrospectives(self) -> TeamRetrospectives | None:
        """Team retrospectives, if on."""
        return self.mechanisms.get("retrospectives")

    @property
    def ideas(self) -> IdeaFlow | None:
        """Employees' ideas, if on."""
        return self.mechanisms.get("ideas")

    @property
    def clock_h(self) -> float:
        """The event clock, in working hours."""
        return self.loop.now

    @property
    def seed(self) -> int:
        """The seed this run's streams were spawned from."""
        return int(self._seed)

    def step(self) -> None:
        """Advance one sampling interval, then sample the time series."""
        last = self.steps >= self.total_steps  # to the horizon, whatever the float residue
        self._run_until(self.horizon_h if last else self.steps * self.interval_h)
        self.datacollector.collect(self)
        self.life.counts.interval_answers = 0
        self.life.counts.interval_response_h = 0.0
        if self.loop.now >= self.horizon_h:
            self.running = False

    def advance(self, hours: float) -> None:
        """Advance the event clock ``hours`` (a browser frame), stepping at each interval's end.

        Runs the same events in the same order as :meth:`step` alone would, so a run
        advanced in small increments samples and ends exactly as one stepped through.
        Stops at the horizon.
        """
        target_h = min(self.loop.now + hours, self.horizon_h)
        while self.running and self._next_sample_h() <= target_h + 1e-9:
            self.step()
        if self.running:
            self._run_until(target_h)

    def _next_sample_h(self) -> float:
        return min((self.steps + 1) * self.interval_h, self.horizon_h)

    @property
    def total_steps(self) -> int:
        """Steps (sampling intervals) to the scenario's horizon."""
        return math.ceil(self.horizon_h / self.interval_h - 1e-9)

    def run(self, on_step: Callable[[], object] | None = None) -> None:
        """Run to the scenario's horizon, calling ``on_step`` after each step (a progress bar)."""
        total = self.total_steps
        while self.running and self.steps < total:
            self.step()
            if on_step is not None:
                on_step()
        self.running = False

    # --- set-up ------------------------------------------------------------------------

    def _create_customers(self, newcomers: int) -> tuple[Accounts, list[Customer]]:
        """Each team's accounts, spread over its members, each member their one contact.

        ``newcomers`` more slots, dealt round the teams in turn, wait for new accounts.
        """
        teams = self.org.teams
        contacts = [
            team.members[i % len(team.members)] for team in teams for i in range(team.customers)
        ]
        initial = len(contacts)
        for slot in range(newcomers):
            team = teams[slot % len(teams)]
            contacts.append(team.members[(team.customers + slot // len(teams)) % len(team.members)])
        accounts = Accounts(contacts, self.spec.satisfaction.initial, initial)
        return accounts, [Customer(self, accounts, account) for account in range(initial)]

    def _candidates(self, streams: Streams) -> Candidates:
        """New accounts' candidate arrivals, from a child of the demand stream (none if off)."""
        spec = self.spec.demand.new_customers
        if not spec.enabled:
            return Candidates(np.empty(0), np.empty(0))
        initial = self.spec.tree.customers
        highest_per_h = spec.highest_per_day(initial) / self.spec.run.hours_per_day
        return Candidates.draw(highest_per_h, self.horizon_h, streams.demand.spawn(1)[0])

    def _admit(self, slot: int) -> None:
        """A new account's customer arrives: active, at the initial satisfaction."""
        self.accounts.active[slot] = 1
        self.life.counts.satisfaction_sum += self.accounts.satisfaction[slot]
        self.life.headcount.change(self.loop.now, +1)
        self.customers.append(Customer(self, self.accounts, slot))

    def _end_warmup(self, _: object = None) -> None:
        for station in self.org.stations:
            station.reset_statistics()
        self._churned_at_warmup = self.life.counts.churned
        self.life.headcount.reset(self.loop.now)

    @property
    def churned_after_warmup(self) -> int:
        """Customers who left after the warm-up (all who left, if it has not ended)."""
        return self.life.counts.churned - self._churned_at_warmup

    # --- what the time series samples --------------------------------------------------

    def satisfaction_mean(self) -> float:
        """Mean satisfaction of all customers, those who left included."""
        return self.life.counts.satisfaction_sum / len(self.customers)

    def trust_mean(self) -> float:
        """Mean trust of the employees."""
        return sum(e.trust for e in self.org.employees) / len(self.org.employees)

    def skill_mean(self) -> float:
        """Mean skill of the employees (coaching and retrospectives move it)."""
        return sum(e.skill for e in self.org.employees) / len(self.org.employees)

    def engagement_mean(self) -> float:
        """Mean engagement of the employees (1 unless the engagement group is on)."""
        return sum(e.engagement for e in self.org.employees) / len(self.org.employees)

    def interval_response_mean_h(self) -> float:
        """Mean response time of the answers given in the last interval (0 if none)."""
        counts = self.life.counts
        return (
            counts.interval_response_h / counts.interval_answers if counts.interval_answers else 0.0
        )


def _start_mechanisms(setting: Setting) -> dict[str, Mechanism]:
    """Build and start every mechanism the scenario switches on, in the registry's order."""
    started: dict[str, Mechanism] = {}
    for name, build_mechanism in registry.MECHANISMS:
        mechanism = build_mechanism(setting)
        if mechanism is not None:
            mechanism.start()
            started[name] = mechanism
    return started


_REPORTERS: dict[str, Any] = {
    "time_h": lambda m: m.clock_h,
    "backlog": lambda m: m.life.counts.in_flight,
    "created": lambda m: m.life.counts.created,
    "resolved": lambda m: m.life.counts.resolved,
    "answers_in_interval": lambda m: m.life.counts.interval_answers,
    "response_mean_h": OrgModel.interval_response_mean_h,
    "satisfaction_mean": OrgModel.satisfaction_mean,
    "active_customers": lambda m: len(m.customers) - m.life.counts.churned,
    "trust_mean": OrgModel.trust_mean,
}
