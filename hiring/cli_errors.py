"""Errors a user can cause on the command line, reported in one line with exit status 1."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

import click
from alembic.util import CommandError
from sqlalchemy.exc import DBAPIError

from hiring import accounts, db
from hiring.backup import BackupError
from hiring.validation import InvalidInput
from hiring.web import database_url

F = TypeVar("F", bound=Callable[..., Any])


def reports_errors(command: F) -> F:
    """Turn the errors a user can cause into one line and exit status 1."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except accounts.AccountError as error:
            raise click.ClickException(str(error)) from None
        except DBAPIError as error:
            raise click.ClickException(db.describe_error(error, database_url())) from None
        except (InvalidInput, BackupError) as error:
            raise click.ClickException(str(error)) from None
        except CommandError as error:  # Alembic: an unknown revision, say
            raise click.ClickException(f"{error}: see `hiring db current`") from None

    return wrapper  # type: ignore[return-value]
