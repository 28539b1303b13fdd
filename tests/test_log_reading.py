"""Reading event logs (issue 22): the helpdesk log, and one refusal per class of bad log."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from orgsim.calibrate.bounded import LogError
from orgsim.calibrate.reading import read_log

# CI: shared/ beside the clone (parents[2]); here, beside the worktrees' folder too
DATA = next(
    (
        p / "shared" / "data"
        for p in Path(__file__).resolve().parents[2:]
        if (p / "shared").is_dir()
    ),
    Path(__file__).resolve().parents[2] / "shared" / "data",
)
HELPDESK = DATA / "helpdesk.xes.gz"

HEADER = "case:concept:name,concept:name,org:resource,time:timestamp\n"
GOOD_ROWS = (
    "c1,Open,Ann,2024-03-04T09:00:00+00:00\n"
    "c1,Close,Bob,2024-03-04T11:00:00+00:00\n"
    "c2,Open,Ann,2024-03-05T10:00:00+00:00\n"
)


def write(path: Path, text: str) -> Path:
    if path.suffix == ".gz":
        path.write_bytes(gzip.compress(text.encode()))
    else:
        path.write_text(text)
    return path


def refusal(path: Path, **options: object) -> str:
    with pytest.raises(LogError) as caught:
        read_log(path, **options)
    message = str(caught.value)
    assert message.startswith(str(path)), message
    assert "\n" not in message
    return message


@pytest.mark.skipif(not HELPDESK.exists(), reason=f"the helpdesk log is not at {HELPDESK}")
def test_helpdesk_log_reads_whole_with_pseudonyms() -> None:
    log = read_log(HELPDESK)
    events = log.events
    assert len(events) == 21_348
    assert events["case"].nunique() == 4_580
    assert events["resource"].nunique() == 22
    assert set(events["resource"]) <= {f"resource {i}" for i in range(1, 23)}
    assert (events.groupby("case")["time"].diff().dropna() >= pd_zero()).all()
    assert "seriousness_2" in events


def pd_zero() -> object:
    import pandas as pd

    return pd.Timedelta(0)


@pytest.mark.parametrize("name", ["log.csv", "log.csv.gz"])
def test_csv_and_gzip_read_alike(tmp_path: Path, name: str) -> None:
    events = read_log(write(tmp_path / name, HEADER + GOOD_ROWS)).events
    assert list(events["case"]) == ["c1", "c1", "c2"]
    assert str(events["time"].dt.tz) == "UTC"
    assert list(events["resource"]) == ["resource 1", "resource 2", "resource 1"]


def test_keep_names_and_column_mapping(tmp_path: Path) -> None:
    text = "Ticket;Step;Who;When\n".replace(";", ",") + GOOD_ROWS
    path = write(tmp_path / "log.csv", text)
    mapping = {"case": "Ticket", "activity": "Step", "resource": "Who", "timestamp": "When"}
    events = read_log(path, mapping, keep_names=True).events
    assert list(events["resource"]) == ["Ann", "Bob", "Ann"]


def test_missing_column_says_which_exist_and_how_to_map(tmp_path: Path) -> None:
    path = write(tmp_path / "log.csv", "Ticket,concept:name,time:timestamp\nc1,Open,2024-03-04\n")
    message = refusal(path)
    assert "case ('case:concept:name')" in message
    assert "'Ticket'" in message
    assert "--column ROLE=NAME" in message


def test_unparseable_timestamp_names_its_row(tmp_path: Path) -> None:
    rows = GOOD_ROWS.replace("2024-03-05T10:00:00+00:00", "yesterday")
    message = refusal(write(tmp_path / "log.csv", HEADER + rows))
    assert "row 4" in message
    assert "'yesterday'" in message
    assert "ISO 8601" in message


def test_timezone_mixed_timestamps_refused(tmp_path: Path) -> None:
    rows = GOOD_ROWS.replace("2024-03-05T10:00:00+00:00", "2024-03-05T10:00:00")
    message = refusal(write(tmp_path / "log.csv", HEADER + rows))
    assert "row 4" in message
    assert "time-zone offset" in message


def test_case_out_of_order_refused_or_sorted_on_request(tmp_path: Path) -> None:
    rows = (
        "c1,Close,Bob,2024-03-04T11:00:00+00:00\n"
        "c2,Open,Ann,2024-03-05T10:00:00+00:00\n"
        "c1,Open,Ann,2024-03-04T09:00:00+00:00\n"
    )
    path = write(tmp_path / "log.csv", HEADER + rows)
    message = refusal(path)
    assert "row 4" in message
    assert "'c1'" in message
    assert "--sort-events" in message
    log = read_log(path, sort_events=True)
    assert list(log.events["activity"]) == ["Open", "Close", "Open"]
    assert any("--sort-events" in note for note in log.notes)


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("log.csv", ""),
        ("log.csv", HEADER),
        ("log.xes", '<log xmlns="http://www.xes-standard.org/"/>'),
    ],
    ids=["empty file", "header only", "xes without traces"],
)
def test_empty_log_refused(tmp_path: Path, name: str, text: str) -> None:
    assert "no events" in refusal(write(tmp_path / name, text))


def test_log_over_the_event_bound_refused(tmp_path: Path) -> None:
    message = refusal(write(tmp_path / "log.csv", HEADER + GOOD_ROWS), max_events=2)
    assert "more than 2 events" in message
    assert "--max-events" in message


def test_log_over_the_byte_bound_refused_while_decompressing(tmp_path: Path) -> None:
    path = write(tmp_path / "log.csv.gz", HEADER + GOOD_ROWS * 1000)
    assert path.stat().st_size < 2000  # compressed well below the bound: counted unpacked
    assert "bytes uncompressed" in refusal(path, max_bytes=10_000)


def test_xml_that_is_not_xes_refused(tmp_path: Path) -> None:
    path = write(tmp_path / "log.xes", "<html><body>not a log</body></html>")
    assert "not XES" in refusal(path)


def test_broken_xml_refused_with_its_line(tmp_path: Path) -> None:
    path = write(tmp_path / "log.xes", "<log>\n<trace>\n<event>\n</trace>\n</log>")
    assert "line 4" in refusal(path)


def test_xes_event_outside_a_trace_refused(tmp_path: Path) -> None:
    path = write(tmp_path / "log.xes", '<log><event><string key="a" value="b"/></event></log>')
    assert "outside a <trace>" in refusal(path)


def test_unknown_format_refused(tmp_path: Path) -> None:
    assert "allowed: .xes" in refusal(write(tmp_path / "log.json", "{}"))
