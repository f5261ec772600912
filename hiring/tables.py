"""Rollups and calibrations as flat tables: CSV files (safe to open in a spreadsheet) and
plain-text tables for the terminal."""

from __future__ import annotations

import csv
import io
import math
import numbers
import re
from collections.abc import Iterable, Sequence
from typing import Any, TextIO

# What starts a formula in Excel, LibreOffice or Google Sheets (OWASP's "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Excel where the list separator is ";" (much of Europe) splits a comma-separated file at
# each ";", quoted or not: what follows one starts a cell of its own.
SEPARATOR = ";"
_FORMULA_AFTER_SEPARATOR = re.compile(f"{SEPARATOR}(?=[{re.escape(''.join(FORMULA_STARTS))}])")

ROLLUP_HEADER = [
    "candidate_email",
    "candidate_name",
    "rubric",
    "stage_profile",
    "overall",
    "adjusted_overall",
    "strong_no",
    "no",
    "yes",
    "strong_yes",
    "submitted",
    "expected",
    "flags",
    "not_assessed",
    "competency",
    "n",
    "mean",
    "median",
    "sd",
    "min",
    "max",
    "rwg",
    "split",
]
CALIBRATION_HEADER = [
    "rubric",
    "kind",
    "id",
    "n_candidates",
    "n_ratings",
    "alpha_interval",
    "alpha_ordinal",
    "ICC1",
    "ICC2",
    "ICC3",
    "ICC1k",
    "ICC2k",
    "ICC3k",
    "leniency",
    "too_few_ratings",
]


def safe_cell(value: Any) -> str:
    """A CSV cell that a spreadsheet shows as text: text that would start a formula
    (FORMULA_STARTS) gets a leading apostrophe, as OWASP advises, and so does a formula
    after a SEPARATOR inside it; numbers are left alone, so that a negative one stays a
    number. Every CSV the app writes goes through here."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, numbers.Real) and math.isfinite(value):
        return repr(float(value))
    text = str(value)  # -inf too: to a spreadsheet it is no number
    if SEPARATOR in text:
        text = _FORMULA_AFTER_SEPARATOR.sub(SEPARATOR + "'", text)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def write_csv(stream: TextIO, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """Write a header and rows as CSV, every cell through `safe_cell`."""
    writer = csv.writer(stream, lineterminator="\n")
    # With "\n" between rows, the csv module leaves a lone carriage return unquoted, and a
    # spreadsheet starts a new row there (whose first cell escaped `safe_cell`): a row with
    # one has every cell quoted.
    quoted = csv.writer(stream, lineterminator="\n", quoting=csv.QUOTE_ALL)
    writer.writerow(header)
    for row in rows:
        cells = [safe_cell(cell) for cell in row]
        (quoted if any("\r" in cell for cell in cells) else writer).writerow(cells)


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """The CSV as a string (for downloads)."""
    buffer = io.StringIO()
    write_csv(buffer, header, rows)
    return buffer.getvalue()


def rollup_rows(rollups: Iterable[dict[str, Any]]) -> Iterable[list[Any]]:
    """One row per candidate and assessed competency (one row for a candidate with none)."""
    for rollup in rollups:
        tally = rollup["recommendations"]
        coverage = rollup["coverage"]
        common = [
            rollup["candidate_email"],
            rollup["candidate_name"],
            rollup["rubric"],
            rollup["stage_profile"],
            rollup["overall"],
            rollup["adjusted_overall"],
            *(tally[key] for key in ("strong_no", "no", "yes", "strong_yes")),
            coverage["submitted"],
            coverage["expected"],
            ";".join(flag["id"] for flag in rollup["flags"]),
            ";".join(rollup["not_assessed"]),
        ]
        keys = ("id", "n", "mean", "median", "sd", "min", "max", "rwg", "split")
        for competency in rollup["competencies"] or [dict.fromkeys(keys)]:
            yield common + [competency[key] for key in keys]


def calibration_rows(calibration: dict[str, Any]) -> Iterable[list[Any]]:
    """One row per competency (reliability), then one per interviewer (leniency)."""
    rubric = calibration["rubric"]
    for competency in calibration["competencies"]:
        icc = competency["icc"] or {}
        yield [
            rubric,
            "competency",
            competency["id"],
            competency["n_candidates"],
            competency["n_ratings"],
            competency["alpha_interval"],
            competency["alpha_ordinal"],
            *(icc.get(name) for name in ("ICC1", "ICC2", "ICC3", "ICC1k", "ICC2k", "ICC3k")),
            None,
            None,
        ]
    for interviewer in calibration["interviewers"]:
        yield [
            rubric,
            "interviewer",
            interviewer["email"],
            None,
            interviewer["n_ratings"],
            *([None] * 8),
            interviewer["leniency"],
            interviewer["too_few_ratings"],
        ]


def text_table(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """A plain-text table with aligned columns; numbers to three decimals."""
    cells = [[_shown(cell) for cell in row] for row in rows]
    widths = [max([len(h), *(len(row[i]) for row in cells)]) for i, h in enumerate(header)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in cells]
    return "\n".join(line.rstrip() for line in lines)


def _shown(cell: Any) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float):
        return f"{cell:.3f}"
    return str(cell)
