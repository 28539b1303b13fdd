"""A validation as a terminal table: each figure real against simulated, with intervals."""

from __future__ import annotations

from typing import Any


def _interval(figure: dict[str, float], digits: int = 2) -> str:
    return f"{figure['mean']:.{digits}f} [{figure['low']:.{digits}f}, {figure['high']:.{digits}f}]"


def validation_table(result: dict[str, Any]) -> str:
    """The result of :func:`orgsim.calibrate.validation.validate_log`, for people."""
    period = result["validation"]
    lines = [
        f"{result['scenario']} against {result['log']}: validation period {period['from']} to "
        f"{period['to']} ({period['working_days']:g} working days, {period['cases_real']:,} "
        f"cases, {period['open_real_censored']} still open: censored); {result['replications']} "
        f"replications, seeds {result['seeds'][0]}-{result['seeds'][-1]}; mean [95% interval]",
        "",
        "distances to the real log (lower is closer)",
        f"  cycle time (h)                {_interval(result['cycle_time_distance'])}",
        f"  case arrivals (h)             {_interval(result['arrival_distance'])}",
        f"  circadian events (h)          {_interval(result['circadian_distance'])}",
        f"  3-gram control flow (0-1)     {_interval(result['ngram_distance'], 3)}",
        "baselines, measured in this run",
        f"  cycle time, real training vs validation period (the log's drift): "
        f"{result['train_vs_validation_cycle_time_distance']:.2f}",
    ]
    for key in ("escalation_rate", "handoffs_per_case"):
        training = result[key]["real_training"]
        lines.append(
            f"  {key.replace('_', ' ')}, real training period (the log's drift): "
            f"{_interval(training, 3)}"
        )
    if result["uncalibrated_cycle_time_distance"]:
        base = result["uncalibrated_cycle_time_distance"]
        lines.append(f"  cycle time, uncalibrated {base['scenario']}: {_interval(base)}")
    lines += ["", f"{'figure':<28}{'real [95% interval]':<28}simulated [95% interval]"]
    for key in ("escalation_rate", "handoffs_per_case"):
        fig = result[key]
        real = f"{fig['real']:.3f} [{fig['real_low']:.3f}, {fig['real_high']:.3f}]"
        lines.append(f"{key.replace('_', ' '):<28}{real:<28}{_interval(fig['simulated'], 3)}")
    median = result["cycle_time_median_h"]
    lines.append(
        f"{'cycle time median (h)':<28}{median['real']:<28.1f}{_interval(median['simulated'], 1)}"
    )
    throughput = result["throughput_per_day"]
    lines.append(
        f"{'closed cases a day':<28}{throughput['real']:<28.2f}{_interval(throughput['simulated'])}"
    )
    lines += _utilisation_lines(result.get("resource_utilisation") or {})
    lines += ["", "targets"] + [
        f"  {k.replace('_', ' ')}: {'yes' if v else 'no'}" for k, v in result["targets"].items()
    ]
    return "\n".join(lines)


def _utilisation_lines(table: dict[str, Any]) -> list[str]:
    """Utilisation per level, real against simulated, each with its resources."""
    lines = []
    for level, fig in table.items():
        real = f"{fig['real']:.3f} (n={fig['real_resources']})" if fig["real_resources"] else "-"
        simulated = (
            f"{_interval(fig['simulated'], 3)} (n={fig['simulated_resources']:.3g})"
            if fig["simulated"]
            else "-"
        )
        lines.append(f"{'utilisation, ' + level:<28}{real:<28}{simulated}")
    return lines
