"""How fast the ``orgsim`` command answers: whole processes, as a user starts them.

Each round starts every contender once as a fresh process (interleaved, so a slow
spell hits all alike) and times it from ``exec`` to exit:

- ``python -c pass``: the interpreter alone, the floor every command pays;
- ``orgsim --help`` and ``orgsim run missing.yaml`` (an input error): targets are
  under 0.3 s above the floor;
- ``python -c "import mesa"``: what the framework costs before any model exists;
- ``orgsim run scenarios/hierarchy.yaml --days 90 --json``: a whole run;
- the same run's simulation alone (``simulate()`` timed inside one process, imports
  excluded), so that the run's target reads: whole run under 1.5x ``import mesa``
  plus the simulation itself.

It also prints the ten heaviest imports of ``import orgsim`` from ``python -X importtime``.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

from common import SCENARIOS, interleaved, make_parser, median, print_table, target

PYTHON = sys.executable
ORGSIM = [str(Path(PYTHON).with_name("orgsim"))]  # the console script, as a user runs it
SIMULATION_ONLY = """
import sys, time
from orgsim.results.run import simulate
from orgsim.scenario.loading import load_scenario
scenario = load_scenario(sys.argv[1], {"run.days": float(sys.argv[2])})
start = time.perf_counter()
simulate(scenario, seed=1)
print(time.perf_counter() - start)
"""


def wall_s(command: list[str], expect: int = 0) -> float:
    """Seconds from start to exit of ``command`` (its output discarded)."""
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != expect:
        raise RuntimeError(f"{command} exited {done.returncode}: {done.stderr.decode()[-500:]}")
    return elapsed


def simulation_s(days: float) -> float:
    """Seconds the simulation of a ``days``-long hierarchy run takes, imports excluded."""
    scenario = str(SCENARIOS / "hierarchy.yaml")
    done = subprocess.run(
        [PYTHON, "-c", SIMULATION_ONLY, scenario, str(days)],
        capture_output=True,
        check=True,
        text=True,
    )
    return float(done.stdout.strip().splitlines()[-1])


def heaviest_imports(top: int) -> list[tuple[str, float]]:
    """The ``top`` modules of ``import orgsim`` with the largest cumulative import time."""
    done = subprocess.run(
        [PYTHON, "-X", "importtime", "-c", "import orgsim"],
        capture_output=True,
        text=True,
        check=True,
    )
    rows = re.findall(r"import time:\s+\d+ \|\s+(\d+) \| (.+)", done.stderr)
    timed = sorted(((name.strip(), int(us) / 1e6) for us, name in rows), key=lambda r: -r[1])
    return timed[:top]


def main(argv: list[str] | None = None) -> None:
    """Time the command's start-up and a whole run against their floors."""
    parser = make_parser(__doc__.splitlines()[0], repeats=7)
    parser.add_argument("--days", type=float, default=90, help="length of the whole run")
    args = parser.parse_args(argv)
    repeats, days = (2, 12.0) if args.tiny else (args.repeats, args.days)  # > the warm-up
    scenario = str(SCENARIOS / "hierarchy.yaml")
    os.chdir(Path(__file__).resolve().parent.parent)
    jobs = {
        "python -c pass": lambda _: wall_s([PYTHON, "-c", "pass"]),
        "orgsim --help": lambda _: wall_s([*ORGSIM, "--help"]),
        "orgsim run missing.yaml": lambda _: wall_s([*ORGSIM, "run", "missing.yaml"], expect=2),
        "python -c 'import mesa'": lambda _: wall_s([PYTHON, "-c", "import mesa"]),
        f"orgsim run hierarchy --days {days:g}": lambda _: wall_s(
            [*ORGSIM, "run", scenario, "--days", str(days), "--json"]
        ),
        "  its simulation alone": lambda _: simulation_s(days),
    }
    times = interleaved(jobs, repeats, args.seed)
    floor = times["python -c pass"]

    def above(name: str) -> float:
        return median([a - b for a, b in zip(times[name], floor, strict=True)])

    print(f"start-up, whole processes: median of {repeats} interleaved rounds")
    print_table(
        ["process", "wall (s)", "above python (s)"],
        [[name, f"{median(t):.3f}", f"{above(name):+.3f}"] for name, t in times.items()],
    )
    for name in ("orgsim --help", "orgsim run missing.yaml"):
        target(f"{name}: s above python", above(name), above(name) < 0.3, "< 0.3")
    run = times[f"orgsim run hierarchy --days {days:g}"]
    mesa, simulation = times["python -c 'import mesa'"], times["  its simulation alone"]
    bound = [m + s for m, s in zip(mesa, simulation, strict=True)]
    ratio = median([r / b for r, b in zip(run, bound, strict=True)])
    target("whole run / (import mesa + simulation)", ratio, ratio < 1.5, "< 1.5")
    print("\nheaviest imports of `import orgsim` (cumulative):")
    print_table(["module", "s"], [[n, f"{s:.3f}"] for n, s in heaviest_imports(10)])


if __name__ == "__main__":
    main()
