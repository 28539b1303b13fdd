"""The one error a scenario can raise: cheap to import, so the CLI can catch it at once."""


class ScenarioError(Exception):
    """A scenario that cannot be used, with a message meant for the person who wrote it."""
