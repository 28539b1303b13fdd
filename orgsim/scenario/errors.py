"""The one error a scenario can raise: cheap to import, so the CLI can catch it at once."""


class ScenarioError(Exception):
    """A scenario that cannot be used, with a message meant for the person who wrote it."""


class SweepWarning(UserWarning):
    """A sweep's results that may mislead: an incomplete design, indices that are noise."""


class CapacityWarning(UserWarning):
    """A scenario whose demand exceeds what its people can work: its queues grow without end."""
