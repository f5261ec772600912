"""`hiring debrief`: one candidate's debrief PDF, or every candidate's in parallel processes."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, as_completed
from dataclasses import dataclass
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlmodel import col, select

from hiring import accounts
from hiring.candidates import rubric_for
from hiring.cli_errors import reports_errors
from hiring.debrief import PAGE_SIZES
from hiring.debrief_documents import debriefs_of, document_html
from hiring.models import Candidate
from hiring.pdf import Renderer, RenderError
from hiring.rollup_cli import known_rubric
from hiring.web import read_session, rubric_set

BATCH = 50  # candidates whose debriefs are built per query round, to bound memory


@dataclass(frozen=True)
class Failure:
    """A candidate whose debrief could not be written, and why."""

    email: str
    reason: str


@click.command("debrief")
@click.argument("candidate_email", required=False)
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(path_type=Path),
    help="The PDF file to write; with --all, the folder to write the PDFs in.",
)
@click.option("--all", "everyone", is_flag=True, help="Every candidate's debrief.")
@click.option("--rubric", "rubric_id", help="With --all: only candidates on this rubric.")
@click.option(
    "--page-size",
    type=click.Choice(PAGE_SIZES, case_sensitive=False),
    default="A4",
    show_default=True,
)
@click.option(
    "--jobs",
    type=click.IntRange(min=1),
    default=os.cpu_count() or 1,
    show_default="the machine's cores",
    help="With --all: render processes.",
)
@with_appcontext
@reports_errors
def debrief_command(
    candidate_email: str | None,
    output: Path,
    everyone: bool,
    rubric_id: str | None,
    page_size: str,
    jobs: int,
) -> None:
    """Write the debrief PDF of CANDIDATE_EMAIL, or with --all of every candidate."""
    page_size = "Letter" if page_size.lower() == "letter" else "A4"
    if everyone == bool(candidate_email):
        raise click.UsageError("give either a CANDIDATE_EMAIL or --all")
    if candidate_email:
        if rubric_id:
            raise click.UsageError("--rubric goes with --all")
        _one(candidate_email, output, page_size)
        return
    chosen = _candidates(rubric_id)
    if not chosen:
        click.echo("No candidate to debrief" + (f" on {rubric_id}." if rubric_id else "."))
        return
    _folder(output)
    with click.progressbar(length=len(chosen), label="Rendering debriefs") as bar:
        failures = export_debriefs(
            candidates=chosen, folder=output, page_size=page_size, jobs=jobs, progress=bar.update
        )
    written = len(chosen) - len(failures)
    click.echo(f"Wrote {written} debrief{'s'[: written != 1]} to {output}.")
    if failures:
        lines = "\n".join(f"  {failure.email}: {failure.reason}" for failure in failures)
        raise click.ClickException(f"{len(failures)} of {len(chosen)} failed:\n{lines}")


def export_debriefs(
    *,
    candidates: Sequence[Candidate],
    folder: Path,
    page_size: str,
    jobs: int,
    progress: Callable[[int], None] | None = None,
) -> list[Failure]:
    """Write each candidate's debrief into `folder`, rendering in `jobs` processes; one
    failure is reported without stopping the rest."""
    renderer = Renderer(workers=jobs, time_limit=current_app.config["DEBRIEF_TIME_LIMIT"])
    failures: list[Failure] = []
    pending: dict[Future[bytes], tuple[str, Path]] = {}
    try:
        for batch in _batches(candidates):
            with read_session() as session:  # never holds SQLite's write lock
                made = debriefs_of(session=session, candidates=batch)
            found = {debrief.candidate["id"]: debrief for debrief in made}
            for candidate in batch:
                debrief = found.get(candidate.id)
                if debrief is None:
                    failures.append(Failure(candidate.email, _unavailable(candidate)))
                    if progress:
                        progress(1)
                    continue
                future = renderer.submit(document_html(debrief, page_size))
                pending[future] = (candidate.email, folder / debrief.filename)
        for future in as_completed(pending):
            email, path = pending[future]
            try:
                write_atomically(path, renderer.result(future))
            except (RenderError, OSError) as error:
                failures.append(Failure(email, str(error)))
            if progress:
                progress(1)
    finally:
        renderer.close()
    return sorted(failures, key=lambda failure: failure.email)


def write_atomically(path: Path, content: bytes) -> None:
    """Write the file whole or not at all: a temporary file beside it, then a rename."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(content)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _one(email: str, output: Path, page_size: str) -> None:
    address = accounts.normalise_email(email)
    with read_session() as session:
        candidate = session.exec(select(Candidate).where(Candidate.email == address)).first()
        if candidate is None:
            raise click.ClickException(f"no candidate has the email {address}")
        rubric_for(candidate, rubric_set())  # reports an unavailable rubric
        if not output.parent.is_dir():
            raise click.ClickException(f"{output.parent} is not a folder: create it first")
        [debrief] = debriefs_of(session=session, candidates=[candidate])
    renderer = Renderer(workers=1, time_limit=current_app.config["DEBRIEF_TIME_LIMIT"])
    try:
        pdf = renderer.render(document_html(debrief, page_size))
    except RenderError as error:
        raise click.ClickException(f"the debrief of {address} was not written: {error}") from None
    finally:
        renderer.close()
    write_atomically(output, pdf)
    click.echo(f"Wrote the debrief of {candidate.name} to {output}.")


def _candidates(rubric_id: str | None) -> list[Candidate]:
    statement = select(Candidate).order_by(col(Candidate.email))
    if rubric_id:
        known_rubric(rubric_id)
        statement = statement.where(Candidate.rubric_id == rubric_id)
    with read_session() as session:
        return list(session.exec(statement).all())


def _folder(path: Path) -> None:
    if path.exists() and not path.is_dir():
        raise click.ClickException(f"{path} is a file: with --all, -o names a folder")
    path.mkdir(parents=True, exist_ok=True)


def _batches(candidates: Sequence[Candidate]) -> Iterator[Sequence[Candidate]]:
    for start in range(0, len(candidates), BATCH):
        yield candidates[start : start + BATCH]


def _unavailable(candidate: Candidate) -> str:
    return f"the rubric {candidate.rubric_id} is unavailable: fix its file (`hiring rubrics check`)"
