"""A validation's plots (cycle times, weekly arrivals, real against simulated) and report."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from orgsim.results.escaping import html_png
from orgsim.results.files import write_whole


def write_plots(result: dict[str, Any], folder: Path) -> list[Path]:
    """``cycle_times.png`` and ``arrivals.png`` in ``folder``."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    samples = result["_samples"]
    folder.mkdir(parents=True, exist_ok=True)
    fig, ax = plt.subplots(figsize=(7, 3.5))
    real, sim = samples["real_cycle_h"] / 24, samples["sim_cycle_h"] / 24
    bins = np.linspace(0, max(np.quantile(np.r_[real, sim], 0.995), 1), 50)
    ax.hist(real, bins=bins, density=True, alpha=0.6, label="real (validation period)")
    ax.hist(sim, bins=bins, density=True, histtype="step", lw=2, label="simulated (all runs)")
    ax.set_xlabel("cycle time of closed cases (days)")
    ax.legend()
    paths = [_save(fig, folder / "cycle_times.png")]
    fig, ax = plt.subplots(figsize=(7, 3.5))
    for label, arrivals in (
        ("real", samples["real_arrivals"]),
        ("simulated", samples["sim_arrivals"]),
    ):
        weeks = pd.Series(1, index=arrivals.dt.tz_localize(None)).resample("W").sum()
        ax.plot(
            weeks.index,
            weeks.to_numpy(),
            label=f"{label} (first run)" if label == "simulated" else label,
        )
    ax.set_ylabel("new cases a week")
    ax.legend()
    paths.append(_save(fig, folder / "arrivals.png"))
    plt.close("all")
    return paths


def _save(fig: Any, path: Path) -> Path:
    fig.tight_layout()
    return write_whole(path, lambda tmp: fig.savefig(tmp, format="png", dpi=90))


def write_report(table: str, folder: Path) -> None:
    """``report.md`` and a self-contained ``report.html``: the table and the two plots."""
    names = ("cycle_times.png", "arrivals.png")
    md = "# Validation on the held-out period\n\n```\n" + table + "\n```\n\n"
    md += "".join(f"![{name}]({name})\n\n" for name in names)
    write_whole(folder / "report.md", lambda tmp: tmp.write_text(md))
    images = "".join(html_png(name, (folder / name).read_bytes()) for name in names)
    page = (
        "<!doctype html><html><head><meta charset='utf-8'><title>Validation</title></head>"
        f"<body><h1>Validation on the held-out period</h1><pre>{html.escape(table)}</pre>"
        f"{images}</body></html>\n"
    )
    write_whole(folder / "report.html", lambda tmp: tmp.write_text(page))
