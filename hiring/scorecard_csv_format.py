"""The scorecard CSV format: its header, its cells as a spreadsheet may show them, its
times, and reading its records with the line each starts on, within what one import reads."""

from __future__ import annotations

import codecs
import csv
import difflib
import re
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, time
from typing import BinaryIO

from hiring.tables import FORMULA_STARTS, SEPARATOR

HEADER = (
    "candidate_email",
    "candidate_name",
    "rubric",
    "interviewer_email",
    "competency",
    "rating",
    "evidence",
    "recommendation",
    "anti_patterns",
    "submitted_at",
)
TIME_EXAMPLE = "2026-11-02T14:00:00+01:00"
# What one import reads: the measured million rows (466 MiB of memory, about 100 s), and
# lines no row needs (ten cells, evidence of 10,000 characters at most 4 bytes each).
MAX_ROWS = 1_000_000
MAX_FILE_BYTES = 512 * 2**20
MAX_LINE_BYTES = 2**20
SPLIT = (
    "split it into files with the header line and each scorecard's rows together, and "
    "import them one at a time"
)
# An apostrophe before these was added on export (`tables.safe_cell` or `escape`).
ESCAPED_STARTS = (*FORMULA_STARTS, "'")
_ESCAPED = re.escape("".join(ESCAPED_STARTS))
_ESCAPED_AFTER_SEPARATOR = re.compile(f"{SEPARATOR}'(?=[{_ESCAPED}])")
_TYPED_AFTER_SEPARATOR = re.compile(f"{SEPARATOR}(?='[{_ESCAPED}])")

Report = Callable[[int, str, str], None]  # line (0: the whole file), column, problem


class _Unread(Exception):
    """The rest of the file is left unread, for a reason already reported."""


def unescape(cell: str) -> str:
    """A cell as it was before export: an apostrophe dropped where a formula character
    (= + - @ tab CR) or another apostrophe follows it, at the start or after a SEPARATOR."""
    if "'" not in cell:
        return cell
    if SEPARATOR in cell:
        cell = _ESCAPED_AFTER_SEPARATOR.sub(SEPARATOR, cell)
    return cell[1:] if cell[:1] == "'" and cell[1:2] in ESCAPED_STARTS else cell


def escape(cell: object) -> object:
    """A cell for `tables.write_csv`: an apostrophe that `unescape` would drop (typed so)
    gets another, so that export -> import -> export changes nothing."""
    if not isinstance(cell, str) or "'" not in cell:
        return cell
    if SEPARATOR in cell:
        cell = _TYPED_AFTER_SEPARATOR.sub(SEPARATOR + "'", cell)
    return "'" + cell if cell[:1] == "'" and cell[1:2] in ESCAPED_STARTS else cell


def time_text(moment: datetime | None) -> str:
    """A time as export writes it: ISO 8601 in UTC, which import reads back unchanged."""
    return moment.astimezone(UTC).isoformat() if moment else ""


def parse_time(text: str) -> datetime | str:
    """An ISO 8601 time in UTC (a bare date is midnight UTC), or what is wrong with it."""
    try:
        return datetime.combine(date.fromisoformat(text), time(), UTC)
    except ValueError:
        pass
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return f"{text!r} is not an ISO 8601 date and time: write it like {TIME_EXAMPLE}"
    if moment.tzinfo is None:
        return f"{text!r} has no time zone: add one, e.g. {TIME_EXAMPLE} (Z for UTC)"
    try:
        return moment.astimezone(UTC)
    except OverflowError:  # 0001-01-01 east of UTC, 9999-12-31 west of it
        return f"{text!r} is out of range: give a real date, e.g. {TIME_EXAMPLE}"


def read_records(stream: BinaryIO, report: Report) -> Iterator[tuple[int, list[str]]]:
    """After a correct header, each record with the line it starts on (a quoted cell may
    span lines); problems with the encoding, the CSV syntax or the header are reported."""
    records = _records(stream, report)
    try:
        first = next(records, None)
        if first is None or not any(first[1]):
            report(0, "", f"the file is empty: its first line must be {','.join(HEADER)}")
        elif _header_ok(first[1], report):
            for count, (line, cells) in enumerate(records, start=1):
                if count > MAX_ROWS:
                    problem = f"more than {MAX_ROWS:,} rows, more than one import takes"
                    report(line, "", f"{problem}: {SPLIT}")
                    return
                yield line, cells
    except _Unread:
        return


def _lines(stream: BinaryIO, report: Report) -> Iterator[str]:
    size = 0
    for number, raw in enumerate(iter(lambda: stream.readline(MAX_LINE_BYTES + 1), b""), 1):
        size += len(raw)
        if number == 1 and raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            report(1, "", "the file is UTF-16 (Unicode text): save it as CSV UTF-8")
            raise _Unread
        if size > MAX_FILE_BYTES:
            report(number, "", f"the file is larger than {MAX_FILE_BYTES // 2**20} MiB: {SPLIT}")
            raise _Unread
        if len(raw) > MAX_LINE_BYTES:
            report(number, "", f"longer than {MAX_LINE_BYTES // 2**20} MiB: is this a CSV file?")
            raise _Unread
        try:
            text = raw.decode()
        except UnicodeDecodeError as error:
            where = f"byte {error.start + 1} of the line"
            report(number, "", f"not UTF-8 ({where}): save the file as UTF-8 (CSV UTF-8)")
            text = raw.decode(errors="replace")
        if "\x00" in text:
            report(number, "", "contains a NUL character: is this a CSV file?")
        yield text.removeprefix(codecs.BOM_UTF8.decode()) if number == 1 else text


def _records(stream: BinaryIO, report: Report) -> Iterator[tuple[int, list[str]]]:
    reader = csv.reader(_lines(stream, report))
    last = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            problem = f"not valid CSV ({error})"
            if "field limit" in str(error):
                problem = f"a cell runs past {csv.field_size_limit():,} characters"
            report(last + 1, "", f'{problem}: is a quote (") left open?')
            last = reader.line_num
            continue
        yield last + 1, cells
        last = reader.line_num


def _header_ok(cells: list[str], report: Report) -> bool:
    names = [unescape(cell).strip() for cell in cells]
    if names == list(HEADER):
        return True
    missing = [name for name in HEADER if name not in names]
    issues = []
    for name in names:
        if name not in HEADER:
            hint = difflib.get_close_matches(name.lower(), missing, n=1)
            issues.append(
                f"unknown column {name!r}" + (f" (did you mean {hint[0]}?)" if hint else "")
            )
        elif names.count(name) > 1:
            issues.append(f"column {name} appears {names.count(name)} times")
    issues += [f"missing column {name}" for name in missing]
    problem = "; ".join(dict.fromkeys(issues)) or "the columns are in another order"
    report(1, "header", f"{problem}: the first line must be exactly {','.join(HEADER)}")
    return False
