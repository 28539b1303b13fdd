"""Profile orgsim on the approval chain: where its time goes, function by function.

Builds the approval-chain scenario of :mod:`approval_chain` and profiles
``model.run()`` alone with ``cProfile`` (exact call counts, inflated times of small
functions) or, if installed, ``pyinstrument`` (sampling, a call tree with realistic
proportions). The findings are written down in ``benchmarks/README.md``.

Run ``python benchmarks/profile_chain.py --requests 100000 --tool pyinstrument``.
"""

from __future__ import annotations

import cProfile
import pstats

from common import make_parser, tandem_scenario

from orgsim import OrgModel


def profile_cprofile(model: OrgModel, rows: int) -> None:
    """Run the model under ``cProfile`` and print the costliest functions by own time.

    Args:
        model: A built model.
        rows: Functions to print.
    """
    profiler = cProfile.Profile()
    profiler.runcall(model.run)
    stats = pstats.Stats(profiler).strip_dirs().sort_stats(pstats.SortKey.TIME)
    stats.print_stats(rows)


def profile_pyinstrument(model: OrgModel) -> None:
    """Run the model under ``pyinstrument`` and print its call tree.

    Args:
        model: A built model.
    """
    from pyinstrument import Profiler

    profiler = Profiler(interval=0.0005)
    profiler.start()
    model.run()
    profiler.stop()
    print(profiler.output_text(unicode=False, color=False, show_all=False))


def main(argv: list[str] | None = None) -> None:
    """Profile one run of the approval chain.

    Args:
        argv: Arguments, or ``None`` for ``sys.argv[1:]``.
    """
    parser = make_parser("Profile orgsim on the approval chain.", repeats=1)
    parser.add_argument("--requests", type=int, default=100_000, help="requests")
    parser.add_argument("--tool", choices=("cprofile", "pyinstrument"), default="cprofile")
    parser.add_argument("--rows", type=int, default=25, help="functions shown by cProfile")
    args = parser.parse_args(argv)
    requests = 2_000 if args.tiny else args.requests
    model = OrgModel(tandem_scenario(requests), rng=args.seed)
    if args.tool == "pyinstrument":
        profile_pyinstrument(model)
    else:
        profile_cprofile(model, args.rows)


if __name__ == "__main__":
    main()
