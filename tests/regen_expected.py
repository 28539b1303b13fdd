"""Rewrite tests/expected_figures.yaml from the scenario files: ``python tests/regen_expected.py``.

Run it when the model changes on purpose, and say why in the commit message; the
regression guard (tests/test_scenarios.py) then holds the new figures.
"""

from pathlib import Path

from orgsim import simulate

ROOT = Path(__file__).resolve().parent.parent
EXPECTED = Path(__file__).parent / "expected_figures.yaml"
KEYS = (
    "requests_created",
    "response_time_mean_h",
    "escalation_rate",
    "decision_accuracy",
    "satisfaction_mean",
    "churn_rate",
    "trust_mean",
    "churn_rate_yearly",
    "value_lost",
)
HEADER = """\
# Figures of each example scenario run for its full horizon with seed 1, held by
# tests/test_scenarios.py to a relative tolerance of 1e-5 (rounded to 7 significant digits).
# A change of the model that moves them must say so: regenerate this file with
# `python tests/regen_expected.py` in the same commit, with the reason in its message.
"""


def expected_figures() -> str:
    """The file's text: the header, then each scenario's figures in file-name order."""
    lines = [HEADER.rstrip("\n")]
    examples = sorted((ROOT / "scenarios" / "examples").glob("*.yaml"))
    for path in sorted((ROOT / "scenarios").glob("*.yaml")) + examples:
        summary = simulate(path, seed=1).summary
        lines.append(f"{path.stem}:")
        lines += [f"  {key}: {_rounded(summary[key])}" for key in KEYS]
    return "\n".join(lines) + "\n"


def _rounded(value: float | int | None) -> str:
    if value is None:
        return "null"
    return str(value) if isinstance(value, int) else repr(float(f"{value:.7g}"))


if __name__ == "__main__":
    text = expected_figures()
    temporary = EXPECTED.with_suffix(".tmp")
    temporary.write_text(text)
    temporary.replace(EXPECTED)
    print(f"wrote {EXPECTED}")
