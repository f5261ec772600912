"""`hiring rollup` and `hiring calibrate`: the rollups and calibrations of the web pages and
the JSON API, on the terminal, as JSON or as CSV."""

from __future__ import annotations

import json
import sys
from typing import Any

import click
from flask.cli import with_appcontext
from sqlmodel import col, select

from hiring import accounts, tables
from hiring.calibration import calibration
from hiring.candidates import rubric_for
from hiring.cli_errors import reports_errors
from hiring.models import Candidate, utcnow
from hiring.rollup import candidate_rollups
from hiring.web import db_session, rubric_set

FORMATS = click.Choice(["table", "json", "csv"])
SUMMARY_HEADER = [
    "candidate",
    "rubric",
    "overall",
    "adjusted",
    "strong no/no/yes/strong yes",
    "submitted",
    "flags",
    "splits",
    "not assessed",
]


@click.command("rollup")
@click.option("--candidate", "candidate_email", help="Only this candidate (by email).")
@click.option("--rubric", "rubric_id", help="Only candidates assessed on this rubric.")
@click.option("--format", "output", type=FORMATS, default="table", show_default=True)
@with_appcontext
@reports_errors
def rollup_command(candidate_email: str | None, rubric_id: str | None, output: str) -> None:
    """Show candidates' rollups from their submitted scorecards."""
    session, rubrics = db_session(), rubric_set()
    statement = select(Candidate).order_by(col(Candidate.email))
    if candidate_email:
        address = accounts.normalise_email(candidate_email)
        found = session.exec(statement.where(Candidate.email == address)).first()
        if found is None:
            raise click.ClickException(f"no candidate has the email {address}")
        rubric_for(found, rubrics)  # reports an unavailable rubric
        statement = statement.where(Candidate.email == address)
    if rubric_id:
        known_rubric(rubric_id)
        statement = statement.where(Candidate.rubric_id == rubric_id)
    chosen = list(session.exec(statement).all())
    rollups = candidate_rollups(session=session, candidates=chosen, rubrics=rubrics, now=utcnow())
    if output == "json":
        click.echo(json.dumps(rollups, indent=2, ensure_ascii=False))
    elif output == "csv":
        tables.write_csv(sys.stdout, tables.ROLLUP_HEADER, tables.rollup_rows(rollups))
    else:
        click.echo(tables.text_table(SUMMARY_HEADER, map(_summary_row, rollups)))


@click.command("calibrate")
@click.option("--rubric", "rubric_id", required=True, help="The rubric's id.")
@click.option("--format", "output", type=click.Choice(["table", "json"]), default="table")
@with_appcontext
@reports_errors
def calibrate_command(rubric_id: str, output: str) -> None:
    """Show interviewer leniency and reliability per competency on a rubric."""
    result = calibration(session=db_session(), rubric=known_rubric(rubric_id))
    if output == "json":
        click.echo(json.dumps(result, indent=2, ensure_ascii=False))
        return
    click.echo(
        f"{result['rubric']} v{result['rubric_version']}: {result['n_ratings']} ratings of "
        f"{result['n_candidates']} candidates\n"
    )
    click.echo(
        tables.text_table(
            ["competency", "candidates", "ratings", "alpha (interval)", "alpha (ordinal)", "ICC"],
            map(_reliability_row, result["competencies"]),
        )
    )
    click.echo()
    click.echo(
        tables.text_table(
            ["interviewer", "leniency", "ratings", "note"],
            (
                [
                    entry["email"],
                    f"{entry['leniency']:+.2f}",
                    entry["n_ratings"],
                    "too few ratings: not applied" if entry["too_few_ratings"] else "",
                ]
                for entry in result["interviewers"]
            ),
        )
    )


def known_rubric(rubric_id: str) -> Any:
    """The current rubric with this id, or an error listing the available ones."""
    rubric = rubric_set().rubrics.get(rubric_id)
    if rubric is None:
        known = ", ".join(sorted(rubric_set().rubrics)) or "none is valid"
        raise click.ClickException(f"no rubric has the id {rubric_id!r} (available: {known})")
    return rubric


def _summary_row(rollup: dict[str, Any]) -> list[Any]:
    tally = rollup["recommendations"]
    coverage = rollup["coverage"]
    return [
        f"{rollup['candidate_name']} <{rollup['candidate_email']}>",
        rollup["rubric"],
        rollup["overall"],
        rollup["adjusted_overall"],
        "/".join(str(tally[key]) for key in ("strong_no", "no", "yes", "strong_yes")),
        f"{coverage['submitted']}/{coverage['expected']}",
        len(rollup["flags"]),
        len(rollup["splits"]),
        ", ".join(rollup["not_assessed"]),
    ]


def _with_band(value: float | None, band: str | None) -> str:
    return "n/a" if value is None else f"{value:.3f} ({band})"


def _reliability_row(entry: dict[str, Any]) -> list[Any]:
    icc = entry["icc"]
    return [
        entry["id"],
        entry["n_candidates"],
        entry["n_ratings"],
        _with_band(entry["alpha_interval"], entry["alpha_interval_band"]),
        _with_band(entry["alpha_ordinal"], entry["alpha_ordinal_band"]),
        f"ICC2 {icc['ICC2']:.3f}, ICC2k {icc['ICC2k']:.3f}" if icc else _no_icc(entry),
    ]


def _no_icc(entry: dict[str, Any]) -> str:
    return "not fully crossed" if entry["n_ratings"] else "no ratings yet"
