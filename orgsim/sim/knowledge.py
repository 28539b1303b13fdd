"""The knowledge hierarchy: who can solve a request, who passes it on, who learns from the answer.

Garicano (2000), "Hierarchies and the Organization of Knowledge in Production" (JPE
108:5), and Garicano & Rossi-Hansberg (2006), "Organization and Inequality in a
Knowledge Economy" (QJE 121:4): a request has a difficulty; a person knows every
problem up to its knowledge; whoever cannot solve a request passes it on, so that rare
expertise is kept for the problems that need it. Employees learn from the answers to
what they passed on (knowledge flows down), at :attr:`Knowledge.learning_rate`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from orgsim.sim.organisation import FIRST_LAYER_LEVEL

if TYPE_CHECKING:
    import numpy as np

    from orgsim.scenario.decision_mechanisms import Knowledge
    from orgsim.sim.agents import Employee, Manager
    from orgsim.sim.organisation import Organisation
    from orgsim.sim.requests import Request


class KnowledgeHierarchy:
    """Requests' difficulties, people's knowledge, and learning from answers.

    Args:
        spec: the scenario's knowledge group.
        kinds: the request kinds' names, in the scenario's order.
        org: the organisation whose people get their knowledge here.
        rng: a stream of this mechanism's own: difficulties and knowledge come from it.
    """

    def __init__(
        self, spec: Knowledge, kinds: list[str], org: Organisation, rng: np.random.Generator
    ) -> None:
        traits, demand = rng.spawn(2)
        self.unknown_right = spec.unknown_right
        self.learning_rate = spec.learning_rate
        self._difficulty = [
            spec.difficulty_by_kind.get(kind, spec.difficulty).sampler(demand) for kind in kinds
        ]
        employees = spec.employees.sampler(traits)
        for employee in org.employees:
            employee.knowledge = employees()
        layers = [layer.sampler(traits) for layer in spec.layers]
        for manager in org.managers:
            manager.knowledge = layers[min(manager.layer - FIRST_LAYER_LEVEL, len(layers) - 1)]()

    def difficulty(self, kind: int) -> float:
        """A new request's difficulty (drawn for every arrival, dropped ones too)."""
        return self._difficulty[kind]()

    @staticmethod
    def knows(person: Employee | Manager, request: Request) -> bool:
        """Whether ``person`` can solve ``request``: its difficulty is within their knowledge."""
        return request.difficulty <= person.knowledge

    def learn(self, employee: Employee, request: Request) -> None:
        """The escalator learns from an answer given by someone who knew: closes a share of the gap.

        The solver knew the request, so the escalator is never lifted above the solver.
        """
        gap = request.difficulty - employee.knowledge
        if gap > 0:
            employee.knowledge += self.learning_rate * gap
