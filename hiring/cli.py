"""Command line: `hiring ...`, also reachable as `flask --app hiring ...`."""

from __future__ import annotations

import errno
import socket
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click
from flask import Flask
from flask.cli import AppGroup, FlaskGroup, ScriptInfo, with_appcontext

from hiring import accounts, backup, db
from hiring.candidate_list import refresh_stale_rollups
from hiring.cli_errors import reports_errors
from hiring.config import ConfigError
from hiring.debrief_cli import debrief_command
from hiring.demo import DEMO_PASSWORD, DEMO_TEAM, load_demo, other_accounts
from hiring.models import utcnow
from hiring.rollup_cli import calibrate_command, rollup_command
from hiring.rubric_cli import rubrics
from hiring.rubric_versions import record_versions
from hiring.scorecard_csv_cli import export_group, import_group
from hiring.serve import THREADS, default_workers, serve
from hiring.web import database_url, db_session, engine, rubric_set

F = TypeVar("F", bound=Callable[..., Any])

users = AppGroup("users", help="Manage the people who sign in.")
database = AppGroup("db", help="Manage the database schema (Alembic migrations).")


def init_app(app: Flask) -> None:
    """Register the commands on the app (and so on `flask --app hiring`)."""
    for command in (
        users,
        database,
        rubrics,
        import_group,
        export_group,
        serve_command,
        demo_command,
        rollup_command,
        calibrate_command,
        debrief_command,
        backup_command,
        restore_command,
    ):
        app.cli.add_command(command)


def read_password(from_stdin: bool) -> str:
    """The password from standard input (first line) or from a hidden prompt."""
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            raise click.ClickException(
                "no password on standard input: pipe one in, for example "
                "`printf '%s\\n' \"$PASSWORD\" | hiring users add ... --password-stdin`"
            )
        return password
    if not sys.stdin.isatty():
        raise click.ClickException("add --password-stdin to read the password from standard input")
    return str(click.prompt("Password", hide_input=True, confirmation_prompt=True))


@users.command("add")
@click.argument("email")
@click.option("--role", required=True, help="admin, recruiter or interviewer.")
@click.option("--name", help="Full name shown to colleagues (default: from the email).")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@reports_errors
def add_user(email: str, role: str, name: str | None, password_stdin: bool) -> None:
    """Add a user who can sign in."""
    accounts.normalise_email(email)  # bad arguments are reported before asking for a password
    accounts.parse_role(role)
    password = read_password(password_stdin)
    session = db_session()
    user = accounts.create_user(
        session=session, email=email, role=role, password=password, name=name
    )
    session.commit()
    click.echo(f"Added {user.role.value} {user.email} ({user.name}).")


@users.command("password")
@click.argument("email")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@reports_errors
def set_password(email: str, password_stdin: bool) -> None:
    """Set a new password for a user."""
    session = db_session()
    user = accounts.user_by_email(session=session, email=email)
    accounts.set_password(session=session, user=user, password=read_password(password_stdin))
    session.commit()
    click.echo(f"New password set for {user.email}.")


@users.command("disable")
@click.argument("email")
@reports_errors
def disable_user(email: str) -> None:
    """Stop a user from signing in; ends their sessions now and stops their API tokens."""
    session = db_session()
    user = accounts.user_by_email(session=session, email=email)
    ended = accounts.set_active(session=session, user=user, active=False)
    session.commit()
    click.echo(f"Disabled {user.email}; ended {ended} session(s).")


@users.command("enable")
@click.argument("email")
@reports_errors
def enable_user(email: str) -> None:
    """Let a disabled user sign in again."""
    session = db_session()
    user = accounts.user_by_email(session=session, email=email)
    accounts.set_active(session=session, user=user, active=True)
    session.commit()
    click.echo(f"Enabled {user.email}.")


@users.command("list")
@reports_errors
def list_users() -> None:
    """List every user with their role."""
    rows = accounts.list_users(session=db_session())
    if not rows:
        click.echo("No users yet: add one with `hiring users add EMAIL --role admin`.")
        return
    click.echo(f"{'EMAIL':<32} {'ROLE':<12} {'ACTIVE':<7} NAME")
    for user in rows:
        active = "yes" if user.active else "no"
        click.echo(f"{user.email:<32} {user.role.value:<12} {active:<7} {user.name}")


@users.command("token")
@click.argument("email")
@reports_errors
def new_token(email: str) -> None:
    """Print a new API token for a user (shown once; only its hash is kept)."""
    session = db_session()
    token = accounts.issue_token(
        session=session, user=accounts.user_by_email(session=session, email=email)
    )
    session.commit()
    click.echo(token)
    click.echo("Keep this token now: it is not shown again.", err=True)


@users.command("revoke-tokens")
@click.argument("email")
@reports_errors
def revoke_tokens(email: str) -> None:
    """Revoke every API token of a user."""
    session = db_session()
    count = accounts.revoke_tokens(
        session=session, user=accounts.user_by_email(session=session, email=email)
    )
    session.commit()
    click.echo(f"Revoked {count} token(s) of {email}.")


@database.command("upgrade")
@click.argument("revision", default="head")
@reports_errors
def upgrade(revision: str) -> None:
    """Upgrade the schema to REVISION (default: the newest), keeping the data."""
    db.upgrade(engine(), revision)
    current, head = db.schema_revisions(engine())
    click.echo(f"Database schema at revision {current} (newest: {head}).")


@database.command("downgrade")
@click.argument("revision")
@reports_errors
def downgrade(revision: str) -> None:
    """Take the schema back to REVISION ("base" drops every table and its data)."""
    db.downgrade(engine(), revision)
    current, _ = db.schema_revisions(engine())
    click.echo(f"Database schema at revision {current or 'base (empty)'}.")


@database.command("current")
@reports_errors
def current_revision() -> None:
    """Show the schema revision of the database and the newest one available."""
    current, head = db.schema_revisions(engine())
    state = "up to date" if current == head else "run `hiring db upgrade`"
    click.echo(f"Database schema at revision {current or 'none'}, newest {head}: {state}.")


@click.command("backup")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="Replace FILE if it exists.")
@with_appcontext
@reports_errors
def backup_command(file: Path, force: bool) -> None:
    """Copy the SQLite database to FILE while the app keeps serving (PostgreSQL: pg_dump)."""
    counts = backup.backup(database_url(), file, overwrite=force)
    click.echo(f"Backed up to {file}: {_summary(counts)}.")


@click.command("restore")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask before replacing the database.")
@with_appcontext
@reports_errors
def restore_command(file: Path, yes: bool) -> None:
    """Replace the SQLite database with the backup FILE (stop `hiring serve` first)."""
    live = backup.sqlite_file(database_url())
    if not yes:
        click.confirm(f"Replace every record in {live} with the backup {file}?", abort=True)
    counts = backup.restore(database_url(), file)
    current, head = db.schema_revisions(engine())
    click.echo(f"Restored {file} into {live}: {_summary(counts)}.")
    if current != head:
        click.echo(f"The backup's schema is at revision {current}: run `hiring db upgrade`.")


def _summary(counts: dict[str, int]) -> str:
    shown = ("users", "candidates", "interviews", "scorecards")
    return ", ".join(f"{counts.get(table, 0)} {table}" for table in shown)


def _check_port_free(host: str, port: int) -> None:
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        try:
            probe.bind((host, port))
        except OSError as error:
            reason = "is in use" if error.errno == errno.EADDRINUSE else f"failed: {error.strerror}"
            raise click.ClickException(
                f"listening on {host}:{port} {reason}: stop the other server or choose --port"
            ) from None


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--workers", type=click.IntRange(1, 64), help="Worker processes [default: one per core]."
)
@click.option(
    "--threads",
    type=click.IntRange(1, 64),
    default=THREADS,
    show_default=True,
    help="Requests each worker answers at once.",
)
@with_appcontext
@reports_errors
def serve_command(host: str, port: int, workers: int | None, threads: int) -> None:
    """Serve the app with gunicorn (the production server)."""
    current, head = db.schema_revisions(engine())
    if current != head:
        raise click.ClickException(
            f"the database schema is at revision {current or 'none'} but this version needs "
            f"{head}: run `hiring db upgrade` first"
        )
    _check_port_free(host, port)
    session = db_session()
    record_versions(session=session, rubrics=rubric_set().rubrics.values())
    refresh_stale_rollups(session=session, rubrics=rubric_set(), now=utcnow())
    session.commit()
    session.close()
    engine().dispose()  # no connection may cross gunicorn's fork into the workers
    count = workers or default_workers()
    click.echo(
        f"Serving hiring at http://{host}:{port} with {count} workers of {threads} threads "
        "(Ctrl+C stops)."
    )
    serve(host=host, port=port, workers=count, threads=threads)


@click.command("demo")
@click.option("--force", is_flag=True, help="Load it even into a database with real accounts.")
@with_appcontext
@reports_errors
def demo_command(force: bool) -> None:
    """Load the demo data (safe to run again: only what is missing is added)."""
    session = db_session()
    others = other_accounts(session=session)
    if others and not force:
        raise click.ClickException(
            f"this database has accounts of its own ({', '.join(others[:3])}"
            f"{', ...' if len(others) > 3 else ''}) and the demo adds an admin with a published "
            "password: load the demo into its own database (HIRING_INSTANCE_PATH or "
            "DATABASE_URL), or pass --force"
        )
    people, loops = load_demo(session=session, rubrics=rubric_set())
    record_versions(session=session, rubrics=rubric_set().rubrics.values())
    session.commit()
    click.echo(
        f"Demo loaded ({people} account(s) and {loops} candidate(s) added). "
        f"Sign in with password {DEMO_PASSWORD!r} as:"
    )
    for login in DEMO_TEAM:
        click.echo(f"  {login.email:<22} {login.role.value:<12} {login.name}, {login.note}")


class HiringGroup(FlaskGroup):
    """Flask's command group, reporting configuration errors in one line even in --help."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        try:
            ctx.ensure_object(ScriptInfo).load_app()
        except ConfigError as error:
            error.show()
            return sorted(self.commands)
        return super().list_commands(ctx)


def main() -> None:
    """Entry point of the `hiring` console script."""
    from hiring import create_app

    group = HiringGroup(
        name="hiring",
        create_app=create_app,
        add_version_option=False,
        help="hiring: structured interviews with rubrics, scorecards, rollups and debriefs.",
    )
    click.version_option(package_name="hiring", prog_name="hiring")(group)
    group.add_command(rubrics)  # found before the app is loaded, so it never creates the app
    group.main(prog_name="hiring")
