"""A request's life, event by event: demand, work, decision, escalation, answer, satisfaction.

The steps follow MODEL.md "A request's life". Each method is one step and hands the
request on, directly or through a station's queue or a timed hand-off, so a run's
cost grows with the events a request causes, not with the number of agents.

Random streams (common random numbers): every customer's requests, their kinds,
values, work content and hidden answers come from the ``demand`` stream alone, and
requests of customers who have left are drawn and then dropped (thinning a pooled
Poisson process), so two structures run with one seed face the very same demand.
Review and consult times come from ``work``, votes and judgements from
``decisions``, everything people do on their own (leaving, handing off, choosing
advisors) from ``people``. New customers' candidate arrivals come from a child of
``demand`` and employees' ideas from a child of ``people``, each spawned only when its
mechanism is on, so that no existing stream draws a number more; so do the decision
mechanisms of :mod:`orgsim.sim.deliberation` (knowledge, recommendations, juries), from
one child of ``demand``.
"""

from __future__ import annotations

import math
from heapq import heappush
from typing import TYPE_CHECKING

import numpy as np

from orgsim.scenario.distributions import (
    Deterministic,
    choice_sampler,
    exponential_sampler,
    integer_sampler,
    uniform_sampler,
)
from orgsim.sim import culture
from orgsim.sim.arrivals import DayProfile
from orgsim.sim.booking import Timesheet
from orgsim.sim.churn import churn_rule
from orgsim.sim.customer_base import Headcount, Referrers
from orgsim.sim.decisions import accept_probability
from orgsim.sim.deliberation import deliberation
from orgsim.sim.engagement import Apathy
from orgsim.sim.ideas import IDEA_ACCOUNT, IdeaFlow
from orgsim.sim.judgement import Criteria, acceptance
from orgsim.sim.organisation import (
    EMPLOYEE_LEVEL,
    FIRST_LAYER_LEVEL,
    DecisionPoint,
    Organisation,
    TeamDecision,
)
from orgsim.sim.recommendation import information_for
from orgsim.sim.requests import OUTCOME_ABANDONED, OUTCOME_RESOLVED, Request, RequestLog
from orgsim.sim.tallies import AnswerListener, Counts, Streams
from orgsim.sim.tracing import (
    CLOSE,
    CREATE,
    DECIDE,
    DELIVER,
    ESCALATE,
    REVIEW,
    REWORK,
    WORK,
    Trace,
)

if TYPE_CHECKING:
    from orgsim.scenario.schema import Scenario
    from orgsim.sim.agents import Accounts, Employee, Manager
    from orgsim.sim.engine import EventLoop
    from orgsim.sim.intake import IntakeDesks


class RequestLife:
    """Carries every request from the customer through the organisation and back."""

    def __init__(
        self,
        scenario: Scenario,
        loop: EventLoop,
        org: Organisation,
        accounts: Accounts,
        streams: Streams,
        log: RequestLog,
    ) -> None:
        self.loop = loop
        self.accounts = accounts
        self._active = accounts.active
        self._satisfaction = accounts.satisfaction
        self._contacts = accounts.contacts
        self.log = log
        taken = [
            s for s, active in zip(accounts.satisfaction, accounts.active, strict=True) if active
        ]
        self.counts = Counts(satisfaction_sum=sum(taken))
        self.headcount = Headcount(len(taken))
        self.in_progress: dict[int, Request] = {}  # by id, for the log at the horizon
        self.satisfaction = scenario.satisfaction
        self.trust = scenario.culture.trust
        self.criteria = Criteria(scenario.judgement)
        self._judging = not scenario.judgement.neutral
        self._apathy = Apathy(scenario.engagement) if scenario.engagement.enabled else None
        if self._apathy is not None:
            for employee in org.employees:
                employee.engagement = scenario.engagement.initial
        self.decay = scenario.structure.information_decay
        # insight kept at each distance (decay ** distance), looked up on every review
        self._kept = information_for(scenario, scenario.escalation)
        self.rework = scenario.structure.rework
        self.lateral = scenario.tree.lateral_handoff
        self._lateral_on = self.lateral.enabled  # read once per request: a plain bool
        self.colleagues = org.employees
        self.listeners: list[AnswerListener] = []  # CRM, retrospectives: told of every answer
        self.agreement: list[float] | None = None  # teams' agreements, if retrospectives make them
        self.ideas: IdeaFlow | None = None  # employees' ideas, if the scenario has them
        self.referrers: Referrers | None = None  # satisfied customers, if they refer others
        self.trace: Trace | None = None  # every step of every request, if an event log is asked
        self.intake: IntakeDesks | None = None  # dispatchers and closers, if the scenario has them
        self.timesheet = Timesheet(loop, 0.0)  # hours besides requests; the model sets its own
        self._reporting_h = scenario.monitoring.reporting_h if scenario.monitoring.enabled else 0.0
        self._demand(scenario, streams.demand)
        self.deliberation = deliberation(scenario, org, streams.demand)
        self._waits, self._closings = self._timing(scenario, streams.demand)
        handoff = scenario.structure.handoff_time_h
        self._handoff = handoff.sampler(streams.work)
        self._handoff_fixed_h = handoff.upper_bound if isinstance(handoff, Deterministic) else None
        self._vote = uniform_sampler(streams.decisions)
        self._chance = uniform_sampler(streams.people)
        self._churn = churn_rule(scenario, self._chance)
        # The callbacks of a request's common steps, bound once: the express loop
        # (orgsim.sim.express) recognises their events by identity and runs them inline.
        self.on_arrival = self._arrive
        self.on_worked = self._worked
        self.on_reach = self._reach_point
        self.on_reviewed = self._reviewed
        self.on_delivery = self._deliver

    def _demand(self, scenario: Scenario, rng: np.random.Generator) -> None:
        kinds = scenario.demand.kinds
        rates = [c.team.requests_per_customer_per_day for c in self._contacts]
        if len(set(rates)) == 1:  # one rate: every account alike
            per_hour = rates[0] / scenario.run.hours_per_day
            self._interarrival = exponential_sampler(rng, 1 / (per_hour * len(self.accounts)))
            self._account = integer_sampler(rng, len(self.accounts))
        else:  # teams' own rates: one pooled stream, an account chosen by its rate
            per_hour = math.fsum(rates) / scenario.run.hours_per_day
            self._interarrival = exponential_sampler(rng, 1 / per_hour)
            self._account = choice_sampler(rng, rates)
        if scenario.demand.day_profile:
            self._interarrival = DayProfile(
                self._interarrival, scenario.demand.day_profile, scenario.run.hours_per_day
            )
        self._kind = choice_sampler(rng, [kind.share for kind in kinds])
        self._values = [kind.value.sampler(rng) for kind in kinds]
        self._works = [kind.work_h.sampler(rng) for kind in kinds]
        self._truth = uniform_sampler(rng)
        self._good_share = [kind.good_share for kind in kinds]
        self._expected = [kind.expected_response_h for kind in kinds]

    @staticmethod
    def _timing(
        scenario: Scenario, rng: np.random.Generator
    ) -> tuple[list, list] | tuple[None, None]:
        """Samplers of each kind's wait and closing, if any kind has them, else ``(None, None)``.

        They draw from a child of ``demand`` spawned last (after every mechanism's), so
        that no other draw shifts, and every arrival draws: the same in every structure.
        """
        kinds, no_time = scenario.demand.kinds, Deterministic(value=0)
        if all((kind.wait_h, kind.close_after_h) == (no_time, no_time) for kind in kinds):
            return None, None
        own = rng.spawn(1)[0]
        return [k.wait_h.sampler(own) for k in kinds], [k.close_after_h.sampler(own) for k in kinds]

    def start(self) -> None:
        """Schedule the first request."""
        self.loop.schedule(self.loop.now + self._interarrival(), self.on_arrival)

    # --- 1. demand ---------------------------------------------------------------------

    def _arrive(self, _: object = None) -> None:
        loop = self.loop
        now = loop.now
        event = (now + self._interarrival(), next(loop.sequence), self.on_arrival, None)
        heappush(loop.heap, event)
        account = self._account()
        kind = self._kind()
        value, work_h = self._values[kind](), self._works[kind]()
        good = self._truth() < self._good_share[kind]
        difficulty = self.deliberation.difficulty(kind) if self.deliberation else 0.0
        if self._waits is not None:
            wait_h, close_after_h = self._waits[kind](), self._closings[kind]()
        counts = self.counts
        if not self._active[account]:
            counts.dropped += 1
            return
        request = Request(
            counts.created, account, self._contacts[account], kind, value, good, work_h,
            self._expected[kind], now,
        )  # fmt: skip
        request.difficulty = difficulty
        self.in_progress[counts.created] = request
        counts.created += 1
        counts.in_flight += 1
        if self.trace is not None:
            self.trace(CREATE, request)
        if self._waits is not None:
            request.close_after_h = close_after_h
        else:
            wait_h = 0.0
        if self.intake is not None:
            self.intake.receive(request, wait_h)  # a dispatcher first, for a share of them
            return
        self.wait_then_work(request, wait_h)

    def wait_then_work(self, request: Request, wait_h: float) -> None:
        """After ``wait_h`` (the kind's wait, if any), the request goes to its worker's desk."""
        if wait_h > 0:
            self.loop.after(wait_h, self._to_desk, request)
        else:
            self._to_desk(request)

    # --- 2. work -----------------------------------------------------------------------

    def _to_desk(self, request: Request) -> None:
        employee = request.employee
        if (
            self._lateral_on
            and employee.station.present >= self.lateral.queue_threshold
            and not self._agreed(employee)
        ):
            colleague = self._least_loaded_colleague(employee)
            if colleague is not employee:
                request.employee = employee = colleague
                request.handoffs += 1
        work_h = request.work_h + self._reporting_h if self._reporting_h else request.work_h
        if self._apathy is not None:
            work_h = self._apathy.work_h(employee, work_h)
        if self.ideas is not None:
            work_h *= self.ideas.work_factor[employee.team.index]
        employee.station.submit(work_h, self.on_worked, request)

    def _agreed(self, employee: Employee) -> bool:
        """Whether the team's agreements keep this request with its employee."""
        if self.agreement is None:
            return False
        return self._chance() < self.agreement[employee.team.index]

    def _least_loaded_colleague(self, employee: Employee) -> Employee:
        """Network order: of a few colleagues sampled, the least loaded, if less than oneself."""
        pool = employee.team.members if self.lateral.scope == "team" else self.colleagues
        best = employee
        for _ in range(self.lateral.candidates):
            candidate = pool[int(self._chance() * len(pool))]
            if candidate.station.present < best.station.present:
                best = candidate
        return best

    def _worked(self, request: Request, _: object = None) -> None:
        employee = request.employee
        if self.trace is not None:
            self.trace(WORK, request, employee.unique_id)
        value = request.value
        if self.deliberation and not self.deliberation.can_solve(employee, request):
            self._escalate(request)  # cannot solve it: passes it on (Garicano 2000)
            return
        if value <= employee.mandate:
            willing = employee.willingness(value)
            if willing >= 1.0 or self._vote() < willing:
                self._decide_alone(request, employee)
                return
        self._escalate(request)

    def _decide_alone(self, request: Request, employee: Employee) -> None:
        good = request.good
        accepted = self._vote() < self._employee_acceptance(employee, request)
        if self.trust.learning_rate > 0:
            wrong_and_blamed = (
                accepted != good
                and self.trust.blame
                and self._vote() < self.trust.discovery_probability
            )
            culture.learn_trust(employee, self.trust.learning_rate, wrong_and_blamed)
        request.level = EMPLOYEE_LEVEL  # signed: who decided, at what level and mandate
        request.decider_id = employee.unique_id
        request.authority = employee.mandate
        self._final(request, accepted)

    def _employee_acceptance(self, employee: Employee, request: Request) -> float:
        """Chance an employee accepts with first-hand information, cautious if blame made it so."""
        caution = self.criteria.employee(employee) if self._judging else 0.0
        skill = employee.skill if self._apathy is None else self._apathy.skill(employee)
        if self.deliberation:
            skill = self.deliberation.right(employee, request, skill)
        return accept_probability(skill, request.good, 0, self.decay, caution)

    # --- 3. escalation -----------------------------------------------------------------

    def _escalate(self, request: Request, _: object = None) -> None:
        team = request.employee.team
        stages = team.stages_for(request.value)
        if not stages:  # nobody above: whoever holds it decides
            self._decide_alone(request, request.employee)
            return
        request.route = team.route
        request.last = stages - 1
        request.position = -1
        request.climb = 0
        if self.deliberation:
            acceptance_chance = self._employee_acceptance(request.employee, request)
            self.deliberation.escalated(request, acceptance_chance)
        self._next_stage(request)

    def _next_stage(self, request: Request) -> None:
        request.position = position = request.position + 1
        request.stage = stage = request.route[position]
        request.votes = request.pending = 0
        if self.deliberation:
            self.deliberation.stage_started(request)
        if stage.team:
            self._consult_team(request, stage)
        else:
            if self.trace is not None:
                self.trace(ESCALATE, request, request.employee.unique_id)
            request.hops += 1
            request.climb += 1
            request.handoffs += 1
            if self._handoff_fixed_h == 0:
                self._reach_point(request)
            else:
                self.loop.after(self._handoff(), self.on_reach, request)

    def _reach_point(self, request: Request) -> None:
        point: DecisionPoint = request.stage
        request.distance = request.climb
        if point.sequential:
            self._ask(request, point.members[0])
        else:
            for member in point.members:
                member.station.submit(member.review_h(), self.on_reviewed, request, member)

    def _ask(self, request: Request, member: Manager) -> None:
        member.station.submit(member.review_h(), self.on_reviewed, request, member)

    def _consult_team(self, request: Request, stage: TeamDecision) -> None:
        """Advice process or consensus: the proposer votes at once, colleagues after a consult."""
        proposer = request.employee
        if self.deliberation:
            approve = self._proposer_vote(request, proposer, stage)
        else:
            approve = self._vote() < self._employee_acceptance(proposer, request)
        request.distance = 1  # colleagues know the customer through the proposer
        request.votes = int(approve)
        request.pending = 1
        advisors = self._advisors(proposer, stage.advisors)
        if not advisors:
            verdict = stage.rule.outcome(request.votes, 1)
            if self.deliberation:
                verdict = self.deliberation.verdict(request, verdict)
            self._stage_decided(request, verdict)
            return
        for advisor in advisors:
            hours = stage.consult() * stage.consult_stretch
            self.timesheet.count("advice", hours)  # an employee's hours: the cost of deciding
            advisor.station.submit(hours, self.on_reviewed, request, advisor)

    def _advisors(self, proposer: Employee, count: int) -> list[Employee]:
        """``count`` teammates other than the proposer, from a random place in the team."""
        members = proposer.team.members
        start = int(self._chance() * len(members))
        rotated = members[start:] + members[:start]
        return [m for m in rotated if m is not proposer][:count]

    # --- 4. decision rules -------------------------------------------------------------

    def _reviewed(self, request: Request, evaluator: Manager | Employee) -> None:
        stage = request.stage
        if self.trace is not None:
            self.trace(REVIEW, request, evaluator.unique_id)
        request.pending += 1
        # accept_probability, inlined: this runs once per review
        skill = evaluator.skill
        if self._apathy is not None and stage.team:
            skill = self._apathy.skill(evaluator)
        right = 0.5 + (skill - 0.5) * self._kept[request.distance]
        if not self._judging and not self.deliberation:  # the common case: p and 1 - p
            approve = self._vote() < (right if request.good else 1.0 - right)
        else:
            caution = 0.0
            if self._judging:
                criteria = self.criteria
                caution = criteria.employee(evaluator) if stage.team else criteria.manager()
            if self.deliberation:
                approve = self.deliberation.vote(
                    request, evaluator, stage, right, caution, self._vote()
                )
            else:
                approve = self._vote() < acceptance(right, request.good, caution)
        if stage.single:  # one evaluator: its vote is the verdict
            self._stage_decided(request, approve)
            return
        request.votes += approve
        verdict = stage.rule.outcome(request.votes, request.pending)
        if stage.sequential:
            if verdict is None:
                self._ask(request, stage.members[request.pending])
                return
        elif request.pending < stage.rule.members:
            return  # in parallel, the node decides when every review is in
        if self.deliberation:
            verdict = self.deliberation.verdict(request, verdict)
        self._stage_decided(request, verdict)

    def _proposer_vote(self, request: Request, proposer: Employee, stage: TeamDecision) -> bool:
        """The proposer's first-hand vote with the decision mechanisms on."""
        skill = proposer.skill if self._apathy is None else self._apathy.skill(proposer)
        caution = self.criteria.employee(proposer) if self._judging else 0.0
        return self.deliberation.vote(request, proposer, stage, skill, caution, self._vote())

    def _stage_decided(self, request: Request, accepted: bool | None) -> None:
        stage = request.stage
        if self.deliberation and self.deliberation.passes_up(request):
            request.last = max(request.last, request.position + 1)  # nobody here knew it
            self._next_stage(request)
            return
        if accepted and request.position < request.last:  # approved, above this mandate
            self._next_stage(request)
            return
        decider = request.employee if stage.team else stage.chair
        request.level = stage.level  # signed: who decided, at what level and mandate
        request.decider_id = decider.unique_id
        request.authority = stage.mandate
        if not accepted and self._will_rework(request):
            self._send_back_for_rework(request)
        else:
            self._final(request, bool(accepted))

    def _will_rework(self, request: Request) -> bool:
        rework = self.rework
        return (
            request.reworks < rework.max_rounds
            and rework.probability > 0
            and self._vote() < rework.probability
        )

    def _send_back_for_rework(self, request: Request) -> None:
        request.reworks += 1
        if self.trace is not None:
            self.trace(REWORK, request, request.decider_id)
        self.loop.after(self._travel_back(request), self._rework, request)

    def _rework(self, request: Request) -> None:
        work_h = request.work_h * self.rework.work_fraction
        request.employee.station.submit(work_h, self._reworked, request)

    def _reworked(self, request: Request, _: object = None) -> None:
        if self.trace is not None:
            self.trace(WORK, request, request.employee.unique_id)
        self._escalate(request)

    # --- 5. the answer travels back ----------------------------------------------------

    def _final(self, request: Request, accepted: bool) -> None:
        request.accepted = accepted
        request.decided_h = self.loop.now
        if self.trace is not None:
            self.trace(DECIDE, request, request.decider_id)
        if self.deliberation:
            self.deliberation.answered(request, escalated=request.level > EMPLOYEE_LEVEL)
        if self._apathy is not None:
            slow = self.loop.now - request.created_h > self._apathy.spec.slow_after_h
            above_team = request.level >= FIRST_LAYER_LEVEL
            self._apathy.after_decision(request.employee, above_team, slow or not accepted)
        self._answer_back(request)

    def _answer_back(self, request: Request) -> None:
        """The decision travels down to its contact: at once if hand-offs take no time."""
        delay_h = self._travel_back(request)
        if delay_h == 0:
            self._deliver(request)
        else:
            self.loop.after(delay_h, self.on_delivery, request)

    def _travel_back(self, request: Request) -> float:
        """Hours for a decision to come down the ``climb`` hops it went up.

        The way down takes time but is not another hand-off: the customer's request was
        passed on once per hop, on the way up, and its satisfaction pays for that once.
        """
        hops = request.climb
        request.climb = 0
        if self._handoff_fixed_h is not None:
            return self._handoff_fixed_h * hops
        return sum([self._handoff() for _ in range(hops)])  # a list: no generator's frame

    # --- 6. the customer judges ---------------------------------------------------------

    def propose_idea(self, idea: Request) -> None:
        """An employee writes an idea up, then it takes the route of a proposal of its value."""
        idea.employee.station.submit(idea.work_h, self._escalate, idea)

    def _deliver(self, request: Request) -> None:
        if request.account == IDEA_ACCOUNT:
            self.ideas.decided(request)
            return
        now = self.loop.now
        counts = self.counts
        counts.in_flight -= 1
        del self.in_progress[request.id]
        if self.trace is not None:
            self.trace(DELIVER, request, request.employee.unique_id)
        # A closer (or the worker) may close it later, as a job of its own.
        closed_later = self.intake is not None and self.intake.close(request)
        if not closed_later and self.trace is not None and request.close_after_h > 0:
            closed_h = max(now, request.created_h + request.close_after_h)
            self.trace(CLOSE, request, request.employee.unique_id, closed_h)
        if self._active[request.account]:
            response_h = now - request.created_h
            counts.resolved += 1
            counts.interval_answers += 1
            counts.interval_response_h += response_h
            self._judge(request, response_h)
            self.log.record(request, now, OUTCOME_RESOLVED)
        else:
            counts.abandoned += 1
            self.log.record(request, now, OUTCOME_ABANDONED)

    def _judge(self, request: Request, delay_h: float) -> None:
        spec = self.satisfaction
        correct = request.accepted == request.good
        experience = spec.experience(delay_h, request.expected_h, correct, request.handoffs)
        account = request.account
        satisfaction = self._satisfaction
        before = satisfaction[account]
        satisfaction[account] = after = spec.updated(before, experience)
        self.counts.satisfaction_sum += after - before
        if self.referrers is not None:
            self.referrers.moved(before, after)
        for listener in self.listeners:
            listener.record(request.employee.team.index, delay_h, correct, after)
        if self._churn.leaves(after):
            self._active[account] = False
            self.counts.churned += 1
            self.headcount.change(self.loop.now, -1)
            if self.referrers is not None:
                self.referrers.left(after)
