"""``orgsim analyze``: a sweep's store read back as tables, figures and one HTML page.

Writes, in ``DIR/analysis``: ``runs.parquet`` (every run, one file),
``main_effects.csv`` and ``.png``, a heat map per pair of parameters, and for a
Sobol or Morris design ``sensitivity.csv`` and ``.png``, for a sampled design over
two or more bases a PRIM box (``prim_box.csv``, with EMA Workbench installed);
``index.html`` shows them all. Every file is written whole (temporary name, then rename).
"""

from __future__ import annotations

import html
import io
import warnings
from pathlib import Path

import pandas as pd

from orgsim.results.escaping import to_csv
from orgsim.results.files import write_whole
from orgsim.scenario.errors import ScenarioError, SweepWarning
from orgsim.sweep import contrasts, effects, plots, sensitivity
from orgsim.sweep.design import Experiment
from orgsim.sweep.discovery import RESAMPLES, discover
from orgsim.sweep.status import completeness
from orgsim.sweep.store import Store

ANALYSIS = "analysis"
NOISY = 0.5
"""A noise share above which the design points' differences are called mostly luck."""


def analyze(directory: str | Path) -> Path:
    """Analyse the sweep stored in ``directory``; return the HTML page's path.

    Unreadable parts are set aside first (their runs then count as missing), and an
    incomplete design is analysed with a warning (a :class:`SweepWarning`, and on the
    page); so are indices and figures that may be noise.

    Raises:
        ScenarioError: no sweep is stored there, none of its runs has finished, or the
            analysis cannot be written.
    """
    store = Store(directory)
    experiment = store.experiment()
    notices = [f"unreadable part moved to quarantine/: {part}" for part in store.check()]
    runs = store.runs()
    if runs.empty:
        raise ScenarioError(f"{directory}: no finished run stored yet")
    done = completeness(store)
    if not done.complete:
        notices.append(
            f"incomplete design: {done.describe()}; every figure below is over the runs "
            f"stored only (orgsim sweep FILE --out {directory} --resume makes the rest)"
        )
    out = _analysis_folder(Path(directory))
    try:
        page = _write_analysis(experiment, runs, out, notices)
    except OSError as error:
        raise ScenarioError(
            f"{out}: cannot write the analysis ({error.strerror or error}); the store is untouched"
        ) from None
    for message in notices:
        warnings.warn(message, SweepWarning, stacklevel=2)
    return page


def _write_analysis(
    experiment: Experiment, runs: pd.DataFrame, out: Path, notices: list[str]
) -> Path:
    """Write every table and figure, then the page; ``notices`` grows and heads it."""
    _write_parquet(runs, out / "runs.parquet")
    sections = [_overview(experiment, runs)]
    sections += _main_effects(experiment, runs, out)
    sections += _heatmaps(experiment, runs, out)
    sections += _contrasts(experiment, runs, out)
    sections += _noise(experiment, runs, notices)
    sections += _sensitivity(experiment, runs, out, notices)
    sections += _discovery(experiment, runs, out)
    page = out / "index.html"
    _write(page, _page(experiment, [_warnings(notices), *sections]).encode())
    return page


def _analysis_folder(directory: Path) -> Path:
    out = directory / ANALYSIS
    if out.exists() and not out.is_dir():
        raise ScenarioError(f"{out}: is a file; the analysis needs a folder there")
    try:
        out.mkdir(exist_ok=True)
    except OSError as error:
        raise ScenarioError(f"{out}: cannot make it ({error.strerror})") from None
    return out


def _warnings(messages: list[str]) -> str:
    items = "".join(f"<li>{html.escape(message)}</li>" for message in messages)
    return f"<div class='warn'><strong>Warnings</strong><ul>{items}</ul></div>" if items else ""


def _discrete(experiment: Experiment) -> frozenset[str]:
    """Parameters of listed values or labelled levels: a categorical axis."""
    return frozenset(p.name for p in experiment.parameters if p.choices is not None)


def _parameters(experiment: Experiment) -> list[str]:
    return [parameter.name for parameter in experiment.parameters]


def _main_effects(experiment: Experiment, runs: pd.DataFrame, out: Path) -> list[str]:
    table = effects.main_effects(runs, _parameters(experiment), experiment.figures)
    if table.empty:
        return []
    _write_csv(table, out / "main_effects.csv")
    image = plots.main_effects_figure(
        table, runs, experiment.figures, out / "main_effects.png", categorical=_discrete(experiment)
    )
    return [
        "<h2>Main effects</h2><p>Each figure's mean at each level of a parameter, over all "
        "the other parameters' settings and replications, with its 95% confidence "
        "interval (<a href='main_effects.csv'>main_effects.csv</a>).</p>"
        f"<img src='{image.name}'>"
    ]


def _heatmaps(
    experiment: Experiment, runs: pd.DataFrame, out: Path, prefix: str = "heatmap"
) -> list[str]:
    """One image per figure: heat maps of every pair of parameters, a fold each."""
    ok = runs[runs["error"].isna()]
    pairs = effects.pairs(ok, _parameters(experiment))
    folds = []
    for number, figure in enumerate(experiment.figures):
        tables = {
            (pair, base): (
                effects.pair_table(ok, pair, figure, base),
                effects.pair_table(ok, pair, figure, base, how="count"),
            )
            for pair in pairs
            for base in dict.fromkeys(ok["base"])
        }
        tables = {key: both for key, both in tables.items() if not both[0].empty}
        if not tables:
            continue
        name = f"{prefix}_{figure}.png"
        plots.heatmap_figure(tables, figure, out / name)
        state = " open" if number == 0 else ""
        folds.append(
            f"<details{state}><summary>{html.escape(figure)}</summary><img src='{name}'></details>"
        )
    if not folds or prefix != "heatmap":
        return folds
    return ["<h2>Two parameters at once</h2>", *folds]


def _contrasts(experiment: Experiment, runs: pd.DataFrame, out: Path) -> list[str]:
    paired = contrasts.paired_runs(experiment, runs)
    if paired.empty:
        return []
    _write_csv(contrasts.contrasts(experiment, runs), out / "contrasts.csv")
    table = effects.main_effects(paired, _parameters(experiment), experiment.figures)
    _write_csv(table, out / "contrast_effects.csv")
    title = "Paired differences (base - reference): means with 95% intervals"
    image = plots.main_effects_figure(
        table,
        paired,
        experiment.figures,
        out / "contrast_effects.png",
        title=title,
        categorical=_discrete(experiment),
    )
    maps = _heatmaps(experiment, paired, out, prefix="contrast")
    return [
        "<h2>Paired contrasts: where and by how much one base beats the other</h2><p>Each "
        "run minus the reference base's run at the same parameters and replication (the "
        "same seed: the same customers and requests), so luck cancels; above zero, the "
        "base's figure is higher. Means over the other parameters with 95% intervals "
        "(<a href='contrasts.csv'>contrasts.csv</a> per setting, "
        "<a href='contrast_effects.csv'>contrast_effects.csv</a>).</p>"
        f"<img src='{image.name}'>",
        *maps,
    ]


def _sensitivity(
    experiment: Experiment, runs: pd.DataFrame, out: Path, notices: list[str]
) -> list[str]:
    ok = runs[runs["error"].isna()]
    indices = sensitivity.sensitivity(experiment, ok)
    notices += sensitivity.gaps(experiment, ok) + sensitivity.doubts(indices)
    if indices.empty:
        return []
    _write_csv(indices, out / "sensitivity.csv")
    images = [plots.sensitivity_figure(indices, out / "sensitivity.png")]
    method = experiment.sampler.method
    if method == "morris":
        images.append(plots.morris_figure(indices, out / "morris_mu_sigma.png"))
    check = (
        f" S1_half and ST_half are the indices over the first half of the design (N/2): "
        f"a change beyond {sensitivity.CONVERGENCE_TOL} means N is too small."
        if "S1_half" in indices.columns
        else ""
    )
    return [
        f"<h2>Sensitivity ({method})</h2><p>Indices over each parameter's whole range, "
        "of each design point's mean over its replications, with SALib's 95% bootstrap "
        f"intervals (<a href='sensitivity.csv'>sensitivity.csv</a>).{check}</p>"
        + "".join(f"<img src='{image.name}'>" for image in images)
        + _html_table(indices)
    ]


def _noise(experiment: Experiment, runs: pd.DataFrame, notices: list[str]) -> list[str]:
    table = sensitivity.noise(experiment, runs[runs["error"].isna()])
    if table.empty:
        return []
    notices.extend(
        f"{row.base}, {row.figure}: {row.noise_share:.0%} of the spread between design "
        "points is replication noise; differences between points are mostly luck"
        for row in table.itertuples()
        if row.noise_share > NOISY
    )
    single = (
        "<p><strong>One replication per point:</strong> run-to-run noise cannot be told "
        "apart from the parameters' effects and is counted as theirs.</p>"
        if table["replications"].max() < 2
        else ""
    )
    return [
        "<h2>Noise against effects</h2><p>The variance between design points' means, "
        "and the part of it that noise alone gives a mean of the replications "
        "(within-point variance / replications); <em>noise_share</em> is their ratio.</p>"
        + single
        + _html_table(table)
    ]


def _discovery(experiment: Experiment, runs: pd.DataFrame, out: Path) -> list[str]:
    found = discover(experiment, runs)
    if found is None:
        return []
    head = f"<h2>Scenario discovery (PRIM)</h2><p>{html.escape(found.question)}.</p>"
    if found.trajectory.empty:
        return [
            f"{head}<div class='warn'><strong>No box is supported:</strong> "
            f"{html.escape(found.reason)}.</div>"
        ]
    _write_csv(found.trajectory, out / "prim_trajectory.csv")
    _write_csv(found.scores, out / "feature_scores.csv")
    image = plots.trajectory_figure(found.trajectory, found.chosen, out / "prim_trajectory.png")
    scores = (
        "<h3>Feature scores (extra trees)</h3><p>How much each parameter helps tell wins "
        f"from the rest (EMA Workbench's extra-trees scores, summing to 1).</p>"
        f"{_html_table(found.scores)}"
    )
    if not found.supported:
        return [
            f"{head}<div class='warn'><strong>No box is supported:</strong> "
            f"{html.escape(found.reason)}. The peeling below is shown for completeness "
            f"only and is not a finding.</div><img src='{image.name}'>{scores}"
        ]
    _write_csv(found.limits, out / "prim_box.csv")
    box = found.box
    return [
        f"{head}<p>The chosen box (the step with the best balance of coverage and density, "
        f"their harmonic mean) holds {box['coverage']:.0%} of those points (coverage), and "
        f"{box['density']:.0%} of the points inside it are such points (density); it "
        f"spans {box['mass']:.0%} of the design. The margin's replication noise is "
        f"{found.noise_share:.0%} of its spread across points. Per restricted parameter: "
        "its limits, quasi-p values of each limit (a one-sided binomial test, Bryant & "
        "Lempert 2010; small is significant) and <em>stability</em>, the share of "
        f"{RESAMPLES} bootstrap resamples of the points whose box restricts it too "
        "(<a href='prim_box.csv'>prim_box.csv</a>).</p>"
        f"{_html_table(found.limits)}<img src='{image.name}'>{scores}"
    ]


def _overview(experiment: Experiment, runs: pd.DataFrame) -> str:
    failed = runs[runs["error"].notna()]
    counts = runs.groupby("base").size().rename("runs").to_frame()
    text = (
        f"<p>{html.escape(experiment.description)}</p><p>{len(runs)} runs stored, "
        f"{len(failed)} failed; sampler {experiment.sampler.method}, "
        f"{experiment.replications} replication(s), master seed {experiment.seed}. "
        "Every run: <a href='runs.parquet'>runs.parquet</a>.</p>"
    )
    if not failed.empty:
        errors = failed[["base", "point", "replication", "error"]].head(20)
        text += "<h3>Failed runs</h3>" + _html_table(errors)
    return text + _html_table(counts.reset_index())


def _page(experiment: Experiment, sections: list[str]) -> str:
    title = html.escape(f"orgsim sweep: {experiment.name}")
    style = (
        "body{font-family:sans-serif;margin:2em;max-width:80em}"
        "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 6px}"
        "img{max-width:100%}"
        ".warn{border:2px solid #b00;background:#fee;padding:0.5em 1em;margin:1em 0}"
    )
    body = "\n".join(sections)
    return (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title}</title>"
        f"<style>{style}</style></head><body><h1>{title}</h1>\n{body}\n</body></html>\n"
    )


def _html_table(table: pd.DataFrame) -> str:
    return table.to_html(index=False, float_format=lambda x: f"{x:.4g}", border=0)


def _write_csv(table: pd.DataFrame, path: Path) -> None:
    _write(path, to_csv(table, index=False).encode())


def _write_parquet(table: pd.DataFrame, path: Path) -> None:
    buffer = io.BytesIO()
    table.to_parquet(buffer, index=False)
    _write(path, buffer.getvalue())


def _write(path: Path, data: bytes) -> None:
    write_whole(path, lambda temporary: temporary.write_bytes(data))
