"""`hiring rubrics ...`: check, list and describe rubric files, with or without an app."""

from __future__ import annotations

import json
from pathlib import Path

import click
from flask import current_app

from hiring.config import rubrics_dir
from hiring.rubric_loader import RUBRIC_SUFFIXES, RubricSet, display_path, load_rubrics
from hiring.rubrics import json_schema

# A plain group: `hiring rubrics` needs no app, so it works before a database is set up.
rubrics = click.Group("rubrics", help="Check and list the rubric files.")


def _summary(rubric_set: RubricSet, rubric_id: str) -> str:
    rubric = rubric_set.rubrics[rubric_id]
    return (
        f"{display_path(rubric_set.sources[rubric_id])}: {rubric.id} v{rubric.version} ok, "
        f"{len(rubric.scale)}-point scale, {len(rubric.competencies)} competencies, "
        f"{len(rubric.anti_patterns)} anti-patterns, {len(rubric.stage_profiles)} stage profiles "
        f"(hash {rubric.content_hash[:12]})"
    )


def _rubric_folder() -> Path:
    """HIRING_RUBRICS_DIR: the app's under `flask --app hiring`, else read without an app."""
    folder = Path(current_app.config["HIRING_RUBRICS_DIR"] if current_app else rubrics_dir())
    if not folder.exists():
        raise click.ClickException(
            f"the rubric folder {display_path(folder)} does not exist: "
            "set HIRING_RUBRICS_DIR or create it"
        )
    return folder


RUBRIC_FILES = f"rubric files ({' or '.join('*' + suffix for suffix in RUBRIC_SUFFIXES)})"


@rubrics.command("check")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
def check_rubrics(paths: tuple[Path, ...]) -> None:
    """Validate rubric files (PATHS: files or folders; default: HIRING_RUBRICS_DIR)."""
    paths = paths or (_rubric_folder(),)
    checked = load_rubrics(paths)
    for rubric_id in checked.rubrics:
        click.echo(_summary(checked, rubric_id))
    for messages in checked.errors.values():
        for message in messages:
            click.echo(message, err=True)
    if checked.errors:
        count = sum(len(messages) for messages in checked.errors.values())
        raise click.ClickException(f"{count} error(s) in {len(checked.errors)} file(s)")
    if not checked.rubrics:
        where = ", ".join(display_path(p) for p in paths)
        raise click.ClickException(f"no {RUBRIC_FILES} in {where}")


@rubrics.command("list")
def list_rubrics() -> None:
    """List the rubrics in HIRING_RUBRICS_DIR, and the files that fail validation."""
    folder = _rubric_folder()
    current = load_rubrics([folder])
    if not (current.rubrics or current.errors):
        click.echo(f"No {RUBRIC_FILES} in {display_path(folder)}.")
        return
    click.echo(f"{'ID':<22} {'VERSION':<8} {'COMPETENCIES':<13} TITLE")
    for rubric in current.rubrics.values():
        click.echo(
            f"{rubric.id:<22} {rubric.version:<8} {len(rubric.competencies):<13} {rubric.title}"
        )
    for source, messages in current.errors.items():
        click.echo(f"INVALID {source}: {len(messages)} error(s), see `hiring rubrics check`")


@rubrics.command("schema")
def print_schema() -> None:
    """Print the JSON Schema of the rubric format (also in rubrics/schema.json)."""
    click.echo(json.dumps(json_schema(), indent=2, ensure_ascii=False))
