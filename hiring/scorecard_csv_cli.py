"""`hiring import scorecards` and `hiring export scorecards`: submitted scorecards as CSV."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO, cast

import click
from flask.cli import AppGroup
from sqlalchemy.exc import DBAPIError, IntegrityError

from hiring.db import describe_error
from hiring.models import utcnow
from hiring.scorecard_csv import ImportRefused, ImportSummary, export_scorecards, import_scorecards
from hiring.scorecard_csv_write import chunks, refresh_summaries
from hiring.web import database_url, db_session, rubric_set

import_group = AppGroup("import", help="Import data from files.")
export_group = AppGroup("export", help="Export data to files.")
SHOWN = 5  # new interviewer accounts named after an import
SUMMARY_BATCH = 500  # candidates whose list summaries are recomputed per transaction
CHANGED = (
    "the database changed during the import (another import, or someone at work in the app): "
    "nothing was imported; run it again"
)


@contextmanager
def _one_line_errors(changed: str) -> Iterator[None]:
    """Database errors as one line saying what to do, never a traceback; `changed` is the
    message for a row that another process wrote first."""
    try:
        yield
    except IntegrityError:
        raise click.ClickException(changed) from None
    except DBAPIError as error:
        raise click.ClickException(describe_error(error, database_url())) from None


def _described(summary: ImportSummary) -> str:
    reused = f", {summary.reused_interviews} on interviews already assigned"
    return (
        f"{summary.scorecards} scorecard(s) ({summary.ratings} rating(s)"
        f"{reused if summary.reused_interviews else ''}), {summary.new_candidates} new "
        f"candidate(s), {len(summary.new_interviewers)} new interviewer account(s)"
    )


@import_group.command("scorecards")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check the file and report, writing nothing.")
def import_scorecards_command(file: Path, dry_run: bool) -> None:
    """Import submitted scorecards from a CSV FILE, one row per rating: all of them, or
    nothing and every problem with its line."""
    session = db_session()
    try:
        with _one_line_errors(CHANGED), file.open("rb") as stream:
            summary = import_scorecards(
                session=session,
                rubrics=rubric_set(),
                stream=stream,
                source=str(file),
                now=utcnow(),
                dry_run=dry_run,
            )
            if not dry_run:
                session.commit()
    except ImportRefused as refused:
        for problem in refused.problems:
            click.echo(problem, err=True)
        raise click.ClickException(
            f"{len(refused.problems)} error(s) in {file}: nothing was imported"
        ) from None
    except OSError as error:
        raise click.ClickException(f"cannot read {file}: {error.strerror}") from None
    if dry_run:
        click.echo(f"Dry run, nothing written: importing {file} would add {_described(summary)}.")
        return
    click.echo(f"Imported {_described(summary)} from {file}.")
    if summary.new_interviewers:
        shown = summary.new_interviewers[:SHOWN]
        more = len(summary.new_interviewers) - len(shown)
        click.echo(
            "New interviewer accounts sign in once given a password with `hiring users password "
            f"EMAIL`: {', '.join(shown)}{f' and {more} more' if more else ''}."
        )
    _refresh_summaries(summary.candidate_ids)


def _refresh_summaries(candidate_ids: list[int]) -> None:
    """The candidate list's summaries of the imported candidates, in short transactions so
    that the app's writers never wait long; if stopped, the list computes the rest itself."""
    session, rubrics, now = db_session(), rubric_set(), utcnow()
    with _one_line_errors("the candidate list changed meanwhile: it updates itself when shown"):
        for ids in chunks(candidate_ids, SUMMARY_BATCH):
            refresh_summaries(session=session, candidate_ids=ids, rubrics=rubrics, now=now)
            session.commit()


@export_group.command("scorecards")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
@click.option(
    "--rubric", metavar="ID", help="Only the scorecards of candidates assessed on this rubric."
)
def export_scorecards_command(file: str, rubric: str | None) -> None:
    """Write every submitted scorecard to a CSV FILE ("-": standard output), one row per
    rating, in the format `hiring import scorecards` reads."""
    try:
        with (
            _one_line_errors("the database changed during the export: run it again"),
            click.open_file(file, "w", encoding="utf-8", atomic=True) as stream,
        ):
            summary = export_scorecards(
                session=db_session(), stream=cast(TextIO, stream), rubric_id=rubric
            )
    except OSError as error:
        raise click.ClickException(f"cannot write {file}: {error.strerror}") from None
    to_stdout = file == "-"
    where = "standard output" if to_stdout else file
    click.echo(
        f"Exported {summary.scorecards} scorecard(s) ({summary.rows} row(s)) to {where}.",
        err=to_stdout,
    )
    if summary.repeated:
        click.echo(
            f"Warning: {summary.repeated} scorecard(s) have the same candidate and interviewer "
            "as another; the format cannot tell them apart, so importing this file refuses them.",
            err=True,
        )
