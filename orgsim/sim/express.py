"""The express loop: the event loop with a request's common steps run inline.

:class:`~orgsim.sim.engine.EventLoop` calls one callback per event, and a request's
life (:mod:`orgsim.sim.life`) is a chain of small methods: on the approval chain some
50 calls a request, a third of its time. The express loop runs the very same events
from the very same heap, but recognises the events of a request's common steps and
runs those steps inline, with the model's state and settings held in local variables:

========================  ==========================================================
the event                 the steps run inline
========================  ==========================================================
``life.on_arrival``       1. demand: the request is drawn; 2. it reaches its desk
a station's job ends      the station's books (Little's law) and its next job; then,
                          by the job's ``done``: ``life.on_worked`` (2. the worker
                          decides alone or 3. escalates) or ``life.on_reviewed``
                          (4. a vote, and the stage's verdict once it can tell)
``life.on_reach``         3. a stage's reviewers get a request handed up in time
``life.on_delivery``      6. an answer that travelled back in time is delivered
anything else             its callback, as :class:`EventLoop` would
========================  ==========================================================

From its event's own step a request goes on, at the same moment, through the named
steps of :meth:`ExpressLoop.run_until` (``_WORKED``, ``_DECIDED``, ``_NEXT_STAGE``,
``_REACH``, ``_REVIEWS``, ``_FINAL``, then 5. the answer and 6. the customer's
judgement, churn and the log row) until it waits in a queue or a hand-off, or is
answered. A step's uncommon cases (an intake desk, a kind's wait, a lateral
hand-off, a team's consultation, a rework, a decision nobody above can take, a review
of no time) are handed to the request life's own method at that point, which carries
the request on exactly as it would have; so every mechanism stays available. An event
log's trace is written by the inline steps as by the methods. A run that needs a step
the inline code does not know at all (the decision mechanisms, engagement, ideas:
:func:`general_only`) runs every step through the request life's methods; only the
stations' books stay inline.

Each inline step does the same work as the method it stands for, in the same order:
the same draws from the same streams, the same events pushed with the same sequence
numbers, the same float operations. A run's every output is therefore byte-identical
on either loop (``OrgModel(..., engine="general")``), which
``tests/test_express.py`` checks scenario by scenario. ``docs/design.md`` gives the
measured reason for this second implementation.
"""

from __future__ import annotations

import math
from heapq import heappop, heappush
from typing import TYPE_CHECKING

from orgsim.sim import culture
from orgsim.sim.decisions import accept_probability
from orgsim.sim.judgement import acceptance
from orgsim.sim.organisation import EMPLOYEE_LEVEL
from orgsim.sim.requests import OUTCOME_ABANDONED, OUTCOME_RESOLVED, ROW, Request
from orgsim.sim.stations import Station
from orgsim.sim.tracing import CLOSE, CREATE, DECIDE, DELIVER, ESCALATE, REVIEW, WORK

if TYPE_CHECKING:
    from orgsim.sim.engine import EventLoop
    from orgsim.sim.life import RequestLife


def general_only(life: RequestLife) -> str | None:
    """Why this run's request life needs the general loop, or ``None`` if it does not."""
    reasons = {
        "decision mechanisms": bool(life.deliberation),
        "engagement": life._apathy is not None,
        "employees' ideas": life.ideas is not None,
    }
    return next((reason for reason, on in reasons.items() if on), None)


class ExpressLoop:
    """Runs a model's events as :meth:`EventLoop.run_until` does, common steps inline."""

    def __init__(self, loop: EventLoop, life: RequestLife) -> None:
        self.loop = loop
        self.life = life

    def run_until(self, end_h: float) -> None:
        """Run every event due up to and including ``end_h``, then set the clock to it."""
        loop, life = self.loop, self.life
        heap, sequence = loop.heap, loop.sequence
        counts, log, in_progress = life.counts, life.log, life.in_progress
        active, satisfaction, contacts = life._active, life._satisfaction, life._contacts
        # A request's steps run inline only if the run needs none the loop does not know
        # (read at every call, as the trace: both may be set after the model is built);
        # else no event is recognised as one of them (None is no callback).
        inline = general_only(life) is None
        trace = life.trace  # every step of every request, if an event log is asked
        on_arrival, on_worked, on_reach, on_reviewed, on_delivery = (
            (life.on_arrival, life.on_worked, life.on_reach, life.on_reviewed, life.on_delivery)
            if inline
            else (None,) * 5
        )
        # 1. demand
        interarrival, draw_account, draw_kind = life._interarrival, life._account, life._kind
        values, works, truth = life._values, life._works, life._truth
        good_share, expected = life._good_share, life._expected
        reporting_h = life._reporting_h
        waits, closings, intake, to_desk = life._waits, life._closings, life.intake, life._to_desk
        # 2.-4. work, escalation, votes
        vote, decay, kept = life._vote, life.decay, life._kept
        judging, criteria, lateral = life._judging, life.criteria, life._lateral_on
        trust, rework = life.trust, life.rework
        learning_rate, blame = trust.learning_rate, trust.blame
        instant_handoff, handoff = life._handoff_fixed_h == 0, life._handoff
        # 5.-6. answer, judgement
        travel_back = life._travel_back
        spec, churn = life.satisfaction, life._churn
        churn_can_leave = churn.can_leave
        delay_worth, wrong_factor = spec.delay_curve.worth, spec.wrong_decision_factor
        handoff_penalty, gain_rate, loss_rate = spec.handoff_penalty, spec.gain_rate, spec.loss_rate
        listeners, referrers, headcount = life.listeners, life.referrers, life.headcount
        pack, rows = (ROW.pack, log.rows) if log.keep else (None, None)

        processed = 0
        now = loop.now
        while heap:
            event = heappop(heap)
            now, _, callback, argument = event
            if now > end_h:
                heappush(heap, event)
                break
            loop.now = now
            processed += 1

            # ---- what the event is: its own step, and where the request goes on from it
            if callback.__class__ is Station:
                # a job ends at a station: its books, then its next job (Station._finish)
                station = callback
                duration_h, done, request, arrived_h, by = argument
                present = station.present
                station.area += present * (now - station.last_change_h)
                station.last_change_h = now
                station.present = present - 1
                station.departures += 1
                station.busy_h += duration_h
                station.sojourn_h += now - arrived_h
                queue = station.queue
                if queue and not station.blocks:
                    following = queue.popleft()
                    following[2].wait_h += now - following[3]
                    heappush(heap, (now + following[0], next(sequence), station, following))
                else:
                    station.busy -= 1
                if done is on_reviewed:
                    # 4. a vote (RequestLife._reviewed)
                    stage = request.stage
                    if trace is not None:
                        trace(REVIEW, request, by.unique_id)
                    request.pending += 1
                    right = 0.5 + (by.skill - 0.5) * kept[request.distance]
                    if judging:  # a cautious criterion (judgement.acceptance)
                        caution = criteria.employee(by) if stage.team else criteria.manager()
                        verdict = vote() < acceptance(right, request.good, caution)
                    else:
                        verdict = vote() < (right if request.good else 1.0 - right)
                    step = _DECIDED
                    if not stage.single:  # a committee or a team: its rule, once it can tell
                        request.votes += verdict
                        if stage.sequential:
                            verdict = stage.rule.outcome(request.votes, request.pending)
                            if verdict is None:  # ask the next one
                                reviewers = (stage.members[request.pending],)
                                step = _REVIEWS
                        elif request.pending < stage.rule.members:
                            continue  # in parallel: when every review is in
                        else:
                            verdict = stage.rule.outcome(request.votes, request.pending)
                elif done is on_worked:
                    step = _WORKED
                else:
                    done(request, by)
                    continue
            elif callback is on_arrival:
                # 1. a request arrives (RequestLife._arrive)
                heappush(heap, (now + interarrival(), next(sequence), on_arrival, None))
                account = draw_account()
                kind = draw_kind()
                value, work_h = values[kind](), works[kind]()
                good = truth() < good_share[kind]
                if waits is not None:  # drawn for every arrival, as the life does
                    wait_h, close_after_h = waits[kind](), closings[kind]()
                if not active[account]:
                    counts.dropped += 1
                    continue
                created = counts.created
                request = Request(
                    created, account, contacts[account], kind, value, good, work_h,
                    expected[kind], now,
                )  # fmt: skip
                in_progress[created] = request
                counts.created = created + 1
                counts.in_flight += 1
                if trace is not None:
                    trace(CREATE, request)
                if waits is not None:
                    request.close_after_h = close_after_h
                else:
                    wait_h = 0.0
                if intake is not None:  # a dispatcher first, for a share of them
                    intake.receive(request, wait_h)
                    continue
                if wait_h > 0:  # the kind's wait first (RequestLife.wait_then_work)
                    heappush(heap, (now + wait_h, next(sequence), to_desk, request))
                    continue
                # 2. to the worker's desk (RequestLife._to_desk)
                if lateral:  # network order: a colleague may take it
                    to_desk(request)
                    continue
                station = request.employee.station
                if reporting_h:
                    work_h += reporting_h
                if work_h or station.busy >= station.servers or station.blocks or station.queue:
                    station.submit(work_h, on_worked, request)
                    continue
                # no work, no wait: Station.submit and Station._finish at once
                station.area += station.present * (now - station.last_change_h)
                station.last_change_h = now
                station.arrivals += 1
                station.departures += 1
                step = _WORKED
            elif callback is on_reach:
                request = argument
                step = _REACH
            elif callback is on_delivery:
                request = argument
                step = _DELIVER
            else:
                callback(argument)
                continue

            # ---- the request's steps at this moment, in order, until it waits or is answered
            if step is _WORKED:
                # 2. the worker decides or passes it on (RequestLife._worked)
                employee = request.employee
                if trace is not None:
                    trace(WORK, request, employee.unique_id)
                value = request.value
                mandate = employee.mandate
                if value <= mandate:
                    willing = (
                        1.0
                        if value == 0 or mandate == math.inf
                        else 1.0 - (1.0 - employee.trust) * value / mandate
                    )
                    if willing >= 1.0 or vote() < willing:
                        # the worker decides alone (RequestLife._decide_alone)
                        good = request.good
                        caution = criteria.employee(employee) if judging else 0.0
                        chance = accept_probability(employee.skill, good, 0, decay, caution)
                        accepted = vote() < chance
                        if learning_rate > 0:
                            blamed = (
                                accepted != good and blame and vote() < trust.discovery_probability
                            )
                            culture.learn_trust(employee, learning_rate, blamed)
                        request.level = EMPLOYEE_LEVEL
                        request.decider_id = employee.unique_id
                        request.authority = mandate
                        step = _FINAL
                if step is _WORKED:
                    # 3. escalation (RequestLife._escalate)
                    team = employee.team
                    stages = team.stages_for(value)
                    if not stages:
                        life._decide_alone(request, employee)
                        continue
                    request.route = team.route
                    request.last = stages - 1
                    request.position = -1
                    request.climb = 0
                    step = _NEXT_STAGE
            elif step is _DECIDED:
                # the stage has decided (RequestLife._stage_decided)
                if verdict and request.position < request.last:
                    step = _NEXT_STAGE  # approved, above this mandate: on up
                else:
                    request.level = stage.level
                    request.decider_id = (request.employee if stage.team else stage.chair).unique_id
                    request.authority = stage.mandate
                    if not verdict and (
                        request.reworks < rework.max_rounds
                        and rework.probability > 0
                        and vote() < rework.probability
                    ):
                        life._send_back_for_rework(request)
                        continue
                    accepted = bool(verdict)
                    step = _FINAL
            if step is _NEXT_STAGE:
                # 3. on to the next stage of the route (RequestLife._next_stage)
                stage = request.route[request.position + 1]
                if stage.team:
                    life._next_stage(request)  # the team's consultation
                    continue
                request.position += 1
                request.stage = stage
                request.votes = request.pending = 0
                if trace is not None:
                    trace(ESCALATE, request, request.employee.unique_id)
                request.hops += 1
                request.climb += 1
                request.handoffs += 1
                if not instant_handoff:
                    delay_h = handoff()
                    if delay_h:  # passed up in time (EventLoop.after)
                        heappush(heap, (now + delay_h, next(sequence), on_reach, request))
                        continue
                step = _REACH
            if step is _REACH:
                # 3. the stage's members get it (RequestLife._reach_point)
                stage = request.stage
                request.distance = request.climb
                reviewers = (stage.chair,) if stage.sequential else stage.members
                step = _REVIEWS
            if step is _REVIEWS:
                for member in reviewers:
                    review_h = member.review_h()
                    station = member.station
                    if not review_h:  # no time to review: Station.submit's own way
                        station.submit(review_h, on_reviewed, request, member)
                        continue
                    # Station.submit
                    present = station.present
                    station.area += present * (now - station.last_change_h)
                    station.last_change_h = now
                    station.present = present + 1
                    station.arrivals += 1
                    job = (review_h, on_reviewed, request, now, member)
                    if station.busy < station.servers and not station.blocks:
                        station.busy += 1
                        heappush(heap, (now + review_h, next(sequence), station, job))
                    else:
                        station.queue.append(job)
                continue
            if step is _FINAL:
                # 5. the answer goes back (RequestLife._final and _answer_back)
                request.accepted = accepted
                request.decided_h = now
                if trace is not None:
                    trace(DECIDE, request, request.decider_id)
                if instant_handoff:
                    request.climb = 0
                else:
                    delay_h = travel_back(request)
                    if delay_h != 0:
                        heappush(heap, (now + delay_h, next(sequence), on_delivery, request))
                        continue
            # 6. delivered, and the customer judges (RequestLife._deliver and _judge)
            counts.in_flight -= 1
            del in_progress[request.id]
            if trace is not None:
                trace(DELIVER, request, request.employee.unique_id)
            # a closer (or the worker) may close it later, as a job of its own
            closed_later = intake is not None and intake.close(request)
            if not closed_later and trace is not None and request.close_after_h > 0:
                closed_h = max(now, request.created_h + request.close_after_h)
                trace(CLOSE, request, request.employee.unique_id, closed_h)
            account = request.account
            if not active[account]:
                counts.abandoned += 1
                outcome = OUTCOME_ABANDONED
            else:
                response_h = now - request.created_h
                counts.resolved += 1
                counts.interval_answers += 1
                counts.interval_response_h += response_h
                # SatisfactionSpec.experience and .updated
                correct = request.accepted == request.good
                worth = delay_worth(response_h / request.expected_h)
                if not correct:
                    worth *= wrong_factor
                experience = worth - handoff_penalty * request.handoffs
                if not experience > 0.0:
                    experience = 0.0
                before = satisfaction[account]
                rate = gain_rate if experience >= before else loss_rate
                satisfaction[account] = after = before + rate * (experience - before)
                counts.satisfaction_sum += after - before
                if referrers is not None:
                    referrers.moved(before, after)
                for listener in listeners:
                    listener.record(request.employee.team.index, response_h, correct, after)
                if churn_can_leave and churn.leaves(after):
                    active[account] = False
                    counts.churned += 1
                    headcount.change(now, -1)
                    if referrers is not None:
                        referrers.left(after)
                outcome = OUTCOME_RESOLVED
            if pack is not None:
                r = request
                rows += pack(
                    r.id, r.account, r.kind, r.value, r.good, r.created_h, r.decided_h, now,
                    r.level, r.decider_id, r.authority, r.accepted, r.hops, r.handoffs,
                    r.reworks, r.wait_h, outcome,
                )  # fmt: skip
        loop.processed += processed
        if loop.now < end_h:
            loop.now = end_h


_WORKED, _DECIDED, _NEXT_STAGE, _REACH, _REVIEWS, _FINAL, _DELIVER = (
    "worked", "decided", "next stage", "reach", "reviews", "final", "deliver"
)  # fmt: skip
"""Where a request goes on at this moment, once its event's own step is done."""
