"""The mechanisms a model builds and starts, in this order (the order fixes event ties).

Each builder takes the :class:`~orgsim.sim.mechanism.Setting`, returns the mechanism
wired into the request life, or ``None`` when the scenario leaves it off. Adding a
mechanism: write its module, add its parameter group to the schema, and its builder
here; the composition root (``OrgModel``) does not change. The names are the keys of
``OrgModel.mechanisms``.
"""

from __future__ import annotations

from orgsim.sim.absence import Interruptions, ManagersAway, interruption_samplers
from orgsim.sim.coaching import CoachingRounds
from orgsim.sim.coordination import TeamCoordination
from orgsim.sim.customer_base import Newcomers
from orgsim.sim.ideas import IdeaFlow
from orgsim.sim.intake import IntakeDesks
from orgsim.sim.mechanism import Build, Setting
from orgsim.sim.monitoring import CrmMonitoring
from orgsim.sim.retrospectives import TeamRetrospectives


def newcomers(setting: Setting) -> Newcomers:
    """New accounts (always built: with the group off, no candidate ever arrives)."""
    spec = setting.spec.demand.new_customers
    built = Newcomers(
        spec, setting.loop, setting.accounts, setting.candidates, setting.customers,
        setting.hours_per_day, setting.admit,
    )  # fmt: skip
    setting.life.referrers = built.referrers
    return built


def monitoring(setting: Setting) -> CrmMonitoring | None:
    """CRM monitoring, told of every answer, if the scenario switches it on."""
    spec = setting.spec
    if not spec.monitoring.enabled:
        return None
    built = CrmMonitoring(
        spec.monitoring, spec.culture.coaching, setting.loop, setting.org.teams,
        setting.hours_per_day,
    )  # fmt: skip
    setting.life.listeners.append(built)
    return built


def retrospectives(setting: Setting) -> TeamRetrospectives | None:
    """Retrospectives, told of every answer, if the scenario switches them on."""
    spec = setting.spec.retrospectives
    if not spec.enabled:
        return None
    built = TeamRetrospectives(
        spec, setting.loop, setting.org.teams, setting.hours_per_day, setting.timesheet
    )
    setting.life.listeners.append(built)
    if spec.agreement_gain > 0:
        setting.life.agreement = built.agreement
    return built


def ideas(setting: Setting) -> IdeaFlow | None:
    """Employees' ideas, from a child of the people stream, if the scenario has them."""
    spec = setting.spec.ideas
    if not spec.enabled:
        return None
    built = IdeaFlow(
        spec, setting.loop, setting.org.employees, len(setting.org.teams),
        setting.streams.people.spawn(1)[0], setting.hours_per_day, setting.life.propose_idea,
    )  # fmt: skip
    setting.life.ideas = built
    return built


def interruptions(setting: Setting) -> ManagersAway:
    """The absences and meeting blocks of every approver whose layer has them."""
    processes = []
    for layer, managers in setting.org.alike:
        samplers = interruption_samplers(layer, setting.hours_per_day, setting.streams.people)
        processes += [
            Interruptions(setting.loop, manager.station, present, away)
            for present, away in samplers
            for manager in managers
            if manager.station is not None
        ]
    return ManagersAway(processes)


def coaching(setting: Setting) -> CoachingRounds | None:
    """Coaching rounds, if any team has coaches (a layer with role coach)."""
    if not any(team.coaches for team in setting.org.teams):
        return None
    spec = setting.spec.culture.coaching
    return CoachingRounds(
        spec, setting.loop, setting.org.teams, setting.timesheet, setting.hours_per_day
    )


def coordination(setting: Setting) -> TeamCoordination | None:
    """Teams' coordination slots, unless the scenario sets its share to 0."""
    spec = setting.spec.coordination
    if spec.share_per_colleague == 0:
        return None
    return TeamCoordination(
        spec, setting.loop, setting.org.teams, setting.timesheet, setting.hours_per_day
    )


def intake(setting: Setting) -> IntakeDesks | None:
    """Dispatchers and closers, from a child of the work stream, if any request meets them."""
    spec = setting.spec.structure.intake
    if not spec.enabled:
        return None
    built = IntakeDesks(spec, setting.loop, setting.life, setting.streams.work.spawn(1)[0])
    setting.life.intake = built
    setting.org.pools += built.stations  # measured (utilisation, Little's law) as any queue
    return built


MECHANISMS: tuple[tuple[str, Build], ...] = (
    ("newcomers", newcomers),
    ("monitoring", monitoring),
    ("retrospectives", retrospectives),
    ("ideas", ideas),
    ("interruptions", interruptions),
    ("coaching", coaching),
    ("coordination", coordination),
    ("intake", intake),
)
"""Each mechanism's name and builder, in the order they are built and started."""
