"""The calibration report, in Markdown and HTML: inferred, defaulted, fitted against data."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import numpy as np

from orgsim.calibrate.api import Calibrated
from orgsim.results.escaping import html_png
from orgsim.results.files import write_whole

FIGURES = 8
"""Fitted distributions drawn against their data at most (the largest samples first)."""


def _rows(calibrated: Calibrated) -> list[list[str]]:
    rows = []
    for name, chosen in calibrated.calibration.fits.items():
        ks = ", ".join(f"{family} {d:.3f}" for family, d in sorted(chosen.ks.items()))
        rows.append([name, chosen.family, f"{chosen.n:,}", f"{chosen.mean:.2f}", ks or "-"])
    return rows


def _inferred(calibrated: Calibrated) -> list[list[str]]:
    inferred = calibrated.calibration.inferred
    rows = []
    for key, value in inferred.items():
        if key == "profiles":
            continue
        rows.append([key.replace("_", " "), _plain(value)])
    profile = inferred["profiles"]
    rows.append(
        ["arrivals by weekday (Mon..Sun)", " ".join(f"{x:.0%}" for x in profile["weekday"])]
    )
    busy = [f"{h}h {x:.0%}" for h, x in enumerate(profile["hour"]) if x >= 0.005]
    rows.append(["arrivals by hour (share)", ", ".join(busy)])
    return rows


def _plain(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_plain(v)}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(_plain(v) for v in value) or "-"
    return str(value)


def _figures(calibrated: Calibrated, folder: Path) -> list[Path]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from pydantic import TypeAdapter

    from orgsim.scenario.distributions import Distribution

    adapter = TypeAdapter(Distribution)
    samples = calibrated.calibration.samples
    fits = calibrated.calibration.fits
    chosen = sorted(samples, key=lambda name: -len(samples[name]))[:FIGURES]
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number, name in enumerate(chosen, start=1):
        data = np.asarray(samples[name], dtype=float)
        if len(data) == 0:
            continue
        sampler = adapter.validate_python(fits[name].spec).sampler(np.random.default_rng(0))
        drawn = np.array([sampler() for _ in range(5000)])
        fig, ax = plt.subplots(figsize=(6, 3.2))
        bins = np.linspace(0, max(np.quantile(data, 0.99), 1e-9), 40)
        ax.hist(data, bins=bins, density=True, alpha=0.6, label="log (training period)")
        ax.hist(
            drawn,
            bins=bins,
            density=True,
            histtype="step",
            lw=2,
            label=f"fitted: {fits[name].family}",
        )
        ax.set_xlabel("working hours")
        ax.set_title(name.replace("$", r"\$"))
        ax.legend()
        path = folder / f"fit_{number}.png"
        fig.tight_layout()
        write_whole(path, lambda tmp, figure=fig: figure.savefig(tmp, format="png", dpi=90))
        plt.close(fig)
        paths.append(path)
    return paths


def _markdown_table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell.replace("|", "/") for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def _html_table(header: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in rows
    )
    return f"<table><tr>{head}</tr>{body}</table>"


FIT_HEADER = ["what", "family chosen", "n", "mean (h)", "KS distance per family"]


def write_report(calibrated: Calibrated, folder: str | Path) -> Path:
    """Write ``report.md`` (with ``figures/``) and a self-contained ``report.html``."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    figures = _figures(calibrated, folder / "figures")
    facts = calibrated.facts
    intro = (
        f"Log {facts['log']}: {facts['train_cases']:,} cases starting before "
        f"{facts['cutoff']} calibrate the scenario; {facts['validation_cases']:,} later ones "
        f"(to {facts['end']}) are kept for `orgsim validate-log`."
    )
    method = (
        "Processing times: where the log has only completion times, an event started at the "
        "later of its case's previous event and its resource's previous completion, capped at "
        "one working day (start-time estimation, Martin, Depaire & Caris 2016; Chapela-Campa "
        "& Dumas 2022). Waits: time from a case's start to its answer minus its kind's mean "
        "work. Closing: time from start to the closing activity. Open cases (no closing "
        "activity at the log's end) are censored: counted in arrivals, left out of the "
        "closing and answer-time fits. Families fitted by moments, chosen by the "
        "Kolmogorov-Smirnov distance; above 0.05 the empirical percentiles are used. "
        "Intake: a case whose first event is by another person than its second was "
        "dispatched; a closed case whose last event is by another than the one before was "
        "closed by a closer; other changes of person before any escalation are transfers; "
        "each pool's head count is its people's time share in that position (share of their "
        "events), per mean month, raised to keep the pool at most 80% busy "
        "(orgsim/calibrate/roles.py)."
    )
    notes = [*calibrated.calibration.warnings, *calibrated.notes] or ["none"]
    defaulted = [[k, v] for k, v in calibrated.calibration.defaulted.items()]
    md = [
        "# Calibration report",
        intro,
        "## Inferred from the log",
        _markdown_table(["what", "value"], _inferred(calibrated)),
        "## How",
        method,
        "## Defaulted: what the log cannot tell",
        _markdown_table(["what", "set to"], defaulted),
        "## Fitted distributions",
        _markdown_table(FIT_HEADER, _rows(calibrated)),
        *[f"![{p.stem}](figures/{p.name})" for p in figures],
        "## Reading the log",
        "\n".join(f"- {note}" for note in notes),
    ]
    text = "\n\n".join(md) + "\n"
    write_whole(folder / "report.md", lambda tmp: tmp.write_text(text))
    images = "".join(html_png(p.stem, p.read_bytes()) for p in figures)
    page = (
        "<!doctype html><html><head><meta charset='utf-8'><title>Calibration report</title>"
        "<style>body{font-family:sans-serif;max-width:70em;margin:auto}table{border-collapse:"
        "collapse}td,th{border:1px solid #ccc;padding:2px 6px;text-align:left}</style></head>"
        f"<body><h1>Calibration report</h1><p>{html.escape(intro)}</p>"
        f"<h2>Inferred from the log</h2>{_html_table(['what', 'value'], _inferred(calibrated))}"
        f"<h2>How</h2><p>{html.escape(method)}</p>"
        f"<h2>Defaulted: what the log cannot tell</h2>{_html_table(['what', 'set to'], defaulted)}"
        f"<h2>Fitted distributions</h2>{_html_table(FIT_HEADER, _rows(calibrated))}{images}"
        f"<h2>Reading the log</h2><ul>{''.join(f'<li>{html.escape(n)}</li>' for n in notes)}</ul>"
        "</body></html>\n"
    )
    write_whole(folder / "report.html", lambda tmp: tmp.write_text(page))
    return folder
