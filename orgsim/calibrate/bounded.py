"""Opening a log file within bounds: regular files only, plain or gzip, bytes counted."""

from __future__ import annotations

import gzip
import io
from pathlib import Path
from typing import BinaryIO

from orgsim.scenario.errors import ScenarioError

MAX_LOG_BYTES = 4 * 2**30
"""Largest log read, uncompressed: 4 GiB, some 10 million events of a verbose XES file.
Counted as the bytes are read, so a gzip bomb stops at the bound instead of filling memory."""

MAX_EVENTS = 5_000_000
"""Most events read: about 2 GB of memory in a table, 5x the benchmarked million."""


class LogError(ScenarioError):
    """An event log that cannot be used; the CLI answers it with exit 2, as a bad scenario."""


class _Counted(io.RawIOBase):
    """A binary stream that refuses to hand out more than ``limit`` bytes in all."""

    def __init__(self, inner: BinaryIO, limit: int, name: str) -> None:
        self.inner, self.limit, self.name, self.seen = inner, limit, name, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        data = self.inner.read(len(buffer))
        self.seen += len(data)
        if self.seen > self.limit:
            raise LogError(
                f"{self.name}: more than {self.limit:,} bytes uncompressed, the reader's bound "
                "(--max-bytes raises it)"
            )
        buffer[: len(data)] = data
        return len(data)


def open_log(path: Path, max_bytes: int = MAX_LOG_BYTES) -> BinaryIO:
    """``path`` opened for reading, decompressed if it ends in ``.gz``, bytes counted.

    Raises:
        LogError: not a regular file, unreadable, or not gzip while named ``.gz``.
    """
    if not path.is_file():
        what = "does not exist" if not path.exists() else "is not a regular file"
        raise LogError(f"{path}: {what}")
    try:
        raw: BinaryIO = path.open("rb")
        if path.suffix.lower() == ".gz":
            if raw.read(2) != b"\x1f\x8b":
                raw.close()
                raise LogError(f"{path}: named .gz but not gzip-compressed")
            raw.seek(0)
            raw = gzip.GzipFile(fileobj=raw)  # type: ignore[assignment]
    except OSError as error:
        raise LogError(f"{path}: cannot read it ({error.strerror or error})") from None
    return io.BufferedReader(_Counted(raw, max_bytes, str(path)), 1 << 20)  # type: ignore[return-value]


def log_format(path: Path) -> str:
    """``xes`` or ``csv`` from the file's name (``.xes``, ``.xes.gz``, ``.csv``, ``.csv.gz``).

    Raises:
        LogError: any other name.
    """
    name = path.name.lower().removesuffix(".gz")
    for kind in ("xes", "csv"):
        if name.endswith(f".{kind}"):
            return kind
    raise LogError(f"{path}: unknown log format; allowed: .xes, .xes.gz, .csv, .csv.gz")
