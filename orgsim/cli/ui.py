"""``orgsim ui``: the browser UI served."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from orgsim.cli.options import _port
from orgsim.scenario.errors import ScenarioError


def _add_ui(commands: argparse._SubParsersAction) -> None:
    ui = commands.add_parser(
        "ui",
        help="serve the browser UI: two organisations side by side, live",
        description="Serve the browser UI for trainers: two scenarios side by side with "
        "the same customers, their org charts and live charts, and controls for mandates, "
        "layers, trust and blame, coaching and demand. Works offline.",
    )
    ui.add_argument("--host", default="127.0.0.1", help="address to listen on (127.0.0.1)")
    ui.add_argument("--port", type=_port, default=8765, help="port to listen on (8765)")
    ui.add_argument(
        "--scenarios",
        type=Path,
        metavar="DIR",
        help="folder of scenario files to choose from (default: ./scenarios if there is "
        "one, else the project's)",
    )
    ui.add_argument(
        "--present",
        action="store_true",
        help="open in presentation mode: large type, live charts beside the org charts, "
        "sidebar folded (a switch on the page turns it off)",
    )
    ui.set_defaults(command=_ui)


def _check_free(host: str, port: int) -> None:
    """A port taken (another orgsim ui?) or a host not of this machine: one clear line."""
    import socket

    with socket.socket() as probe:
        try:
            probe.bind((host, port))
        except OSError as error:
            raise ScenarioError(
                f"--host {host} --port {port}: cannot listen there ({error.strerror}); "
                "choose another with --port"
            ) from None


def _loopback(host: str) -> bool:
    """Whether ``host`` is reachable from this machine only (127.x, ::1, localhost)."""
    import ipaddress

    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a name: it may resolve to any interface


def _ui(args: argparse.Namespace) -> int:
    folder = args.scenarios
    if folder is None:
        here = Path("scenarios")
        folder = here if here.is_dir() else Path(__file__).resolve().parents[2] / "scenarios"
    if not folder.is_dir() or not any(folder.glob("*.y*ml")):
        raise ScenarioError(f"--scenarios {folder}: no folder with scenario files")
    _check_free(args.host, args.port)
    if not _loopback(args.host):
        print(
            f"orgsim: warning: --host {args.host} serves the UI beyond this machine: anyone "
            "who can reach this port can run scenarios and load files here, with your "
            "permissions; use it on a trusted network only",
            file=sys.stderr,
        )
    from orgsim.ui.server import serve

    serve(args.host, args.port, folder, present=args.present)
    return 0
