"""Configuration: defaults, then instance/config.py, then environment variables."""

from __future__ import annotations

import os
import secrets
import tempfile
from pathlib import Path
from typing import Any

import click
from flask import Config, Flask
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

PROJECT_DIR = Path(__file__).resolve().parent.parent

# Environment variables read at start-up, by configuration key (one name for both).
ENVIRONMENT_KEYS = (
    "DATABASE_URL",
    "SECRET_KEY",
    "HIRING_RUBRICS_DIR",
    "HIRING_HTTPS",
    "HIRING_PROXIES",
)
TRUE_WORDS = ("1", "true", "yes", "on")
FALSE_WORDS = ("0", "false", "no", "off")

SECRET_KEY_FILE = "secret_key"  # noqa: S105 (a file name)
SQLITE_FILE = "hiring.sqlite"


class ConfigError(click.ClickException):
    """A configuration problem the person starting the app can fix; shown as one line."""


def bundled_dir(name: str) -> Path:
    """Folder shipped with the project (templates, rubrics): in the checkout or in the wheel."""
    if (PROJECT_DIR / "pyproject.toml").is_file():
        return PROJECT_DIR / name
    return Path(__file__).resolve().parent / name


def defaults() -> dict[str, Any]:
    """Settings used when neither instance/config.py nor the environment say otherwise."""
    return {
        "DATABASE_URL": None,  # None: SQLite in the instance folder
        "SECRET_KEY": None,  # None: generated once into the instance folder
        "HIRING_RUBRICS_DIR": str(bundled_dir("rubrics")),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "WTF_CSRF_TIME_LIMIT": None,  # a scorecard may stay open for a whole interview
        "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
        # Served over HTTPS (directly or behind a proxy that terminates TLS): Secure
        # cookies, HSTS and a redirect from http://. And how many proxies stand in front
        # of the app, whose X-Forwarded-For/-Proto headers are then believed.
        "HIRING_HTTPS": False,
        "HIRING_PROXIES": 0,
        # Sessions end after this long without a request, and this long after sign-in.
        "SESSION_IDLE_MINUTES": 30,
        "SESSION_LIFETIME_HOURS": 12,
        # This many failed sign-ins within the window, for one account or from one
        # address, lock further attempts out (429) for the lockout (all in seconds).
        "LOGIN_MAX_FAILURES": 5,
        "LOGIN_FAILURE_WINDOW": 60,
        "LOGIN_LOCKOUT": 300,
        # The debrief: words that add to the built-in vague and non-job-related lists,
        # render processes per app process, seconds a render may take, and requests that
        # may wait for the pool at once (more get 503 and retry).
        "DEBRIEF_VAGUE_WORDS": [],
        "DEBRIEF_NOT_JOB_RELATED_WORDS": [],
        "DEBRIEF_WORKERS": 1,
        "DEBRIEF_TIME_LIMIT": 60,
        "DEBRIEF_QUEUE": 2,  # half of a worker's threads (hiring.serve.THREADS)
    }


def check_security_settings(settings: Any) -> None:
    """Refuse session, throttling and proxy settings of the wrong kind, naming the setting."""
    if not isinstance(settings["HIRING_HTTPS"], bool):
        raise ConfigError(f"HIRING_HTTPS must be true or false, not {settings['HIRING_HTTPS']!r}")
    proxies = settings["HIRING_PROXIES"]
    if isinstance(proxies, bool) or not isinstance(proxies, int) or proxies < 0:
        raise ConfigError(f"HIRING_PROXIES must be 0 or a positive whole number, not {proxies!r}")
    for key in (
        "SESSION_IDLE_MINUTES",
        "SESSION_LIFETIME_HOURS",
        "LOGIN_MAX_FAILURES",
        "LOGIN_FAILURE_WINDOW",
        "LOGIN_LOCKOUT",
    ):
        _check_positive(settings, key, int, "a whole number")


def check_debrief_settings(settings: Any) -> None:
    """Refuse debrief settings of the wrong kind, naming the setting and what to write."""
    for key in ("DEBRIEF_VAGUE_WORDS", "DEBRIEF_NOT_JOB_RELATED_WORDS"):
        words = settings[key]
        if not isinstance(words, list | tuple) or not all(
            isinstance(word, str) and word.strip() for word in words
        ):
            raise ConfigError(f'{key} must be a list of words or phrases, like ["rockstar"]')
    for key, kinds in (("DEBRIEF_WORKERS", int), ("DEBRIEF_QUEUE", int)):
        _check_positive(settings, key, kinds, "a whole number")
    _check_positive(settings, "DEBRIEF_TIME_LIMIT", int | float, "a number of seconds")


def _check_positive(settings: Any, key: str, kinds: Any, what: str) -> None:
    value = settings[key]
    if isinstance(value, bool) or not isinstance(value, kinds) or value <= 0:
        raise ConfigError(f"{key} must be a positive {what}, not {value!r}")


def instance_path() -> str:
    """The instance folder: HIRING_INSTANCE_PATH, else the one Flask finds for the package
    (the project's instance/ in a checkout)."""
    configured = os.environ.get("HIRING_INSTANCE_PATH")
    return os.path.abspath(configured) if configured else Flask("hiring").instance_path


def rubrics_dir() -> str:
    """The rubric folder without building the app (which needs a database): the environment,
    else instance/config.py, else the default; the order create_app applies them in."""
    if os.environ.get("HIRING_RUBRICS_DIR"):
        return os.environ["HIRING_RUBRICS_DIR"]
    folder = instance_path()
    settings = Config(folder, defaults())
    load_instance_file(settings, folder)
    return str(settings["HIRING_RUBRICS_DIR"])


def from_environment() -> dict[str, Any]:
    """The configuration keys set in the process environment, as the values they stand for."""
    found: dict[str, Any] = {}
    for key in ENVIRONMENT_KEYS:
        text = os.environ.get(key, "").strip()
        if text:
            found[key] = _environment_value(key, text)
    return found


def _environment_value(key: str, text: str) -> Any:
    if key == "HIRING_HTTPS":
        if text.lower() not in TRUE_WORDS + FALSE_WORDS:
            raise ConfigError(
                f"the environment variable HIRING_HTTPS must be true or false, not {text!r}"
            )
        return text.lower() in TRUE_WORDS
    if key == "HIRING_PROXIES":
        if not text.isdigit():
            raise ConfigError(
                f"the environment variable HIRING_PROXIES must be a whole number (the proxies in "
                f"front of the app), not {text!r}"
            )
        return int(text)
    return text


def ensure_instance_folder(instance_path: str) -> Path:
    """Create the instance folder, or explain why it cannot be created."""
    folder = Path(instance_path)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ConfigError(
            f"cannot create the instance folder {folder} ({error.strerror}): make it writable, "
            "or set HIRING_INSTANCE_PATH to a writable folder"
        ) from None
    if not os.access(folder, os.W_OK | os.X_OK):
        raise ConfigError(
            f"the instance folder {folder} is not writable: fix its permissions, "
            "or set HIRING_INSTANCE_PATH to a writable folder"
        )
    return folder


def instance_secret_key(instance_path: str) -> str:
    """Read the secret key from the instance folder, generating it on first use.

    Several gunicorn workers may start at once: the key is written to a temporary
    file and linked into place, so exactly one key wins and everyone reads it.
    """
    folder = ensure_instance_folder(instance_path)
    key_file = folder / SECRET_KEY_FILE
    try:
        if not key_file.exists():
            _write_new_key(folder, key_file)
        key = key_file.read_text().strip()
    except OSError as error:
        raise ConfigError(
            f"cannot read or create the secret key {key_file} ({error.strerror or error}): "
            "fix the file's permissions, delete it to generate a new one, or set SECRET_KEY"
        ) from None
    if len(key) < 32:
        raise ConfigError(
            f"the secret key in {key_file} is too short: delete the file to generate a new one"
        )
    return key


def _write_new_key(folder: Path, key_file: Path) -> None:
    with tempfile.NamedTemporaryFile("w", dir=folder, delete=False) as draft:
        draft.write(secrets.token_hex(32))
    os.chmod(draft.name, 0o600)
    try:
        os.link(draft.name, key_file)
    except FileExistsError:
        pass  # another process generated it first
    finally:
        os.unlink(draft.name)


def database_url(configured: str | None, instance_path: str) -> URL:
    """Parse DATABASE_URL (default: SQLite in the instance folder) into an engine URL."""
    if not configured:
        folder = ensure_instance_folder(instance_path)
        return make_url(f"sqlite:///{folder / SQLITE_FILE}")
    try:
        url = make_url(configured)
    except (ArgumentError, ValueError):
        raise ConfigError(
            "DATABASE_URL is not a database URL: use "
            "postgresql+psycopg://USER:PASSWORD@HOST:5432/DBNAME or sqlite:///PATH"
        ) from None
    if url.drivername in ("postgres", "postgresql"):
        url = url.set(drivername="postgresql+psycopg")
    if url.drivername not in ("postgresql+psycopg", "sqlite", "sqlite+pysqlite"):
        raise ConfigError(
            f"DATABASE_URL uses {url.drivername!r}, which hiring does not support: use "
            "postgresql+psycopg://... (PostgreSQL) or sqlite:///... (SQLite)"
        )
    if url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:"):
        raise ConfigError(
            "DATABASE_URL names an in-memory SQLite database, which every process and "
            "connection sees empty: give a file, sqlite:///PATH"
        )
    return url


def load_instance_file(app_config: Any, instance_path: str) -> None:
    """Apply instance/config.py if it exists, explaining any error in it."""
    path = Path(instance_path) / "config.py"
    if not path.exists():
        return
    try:
        app_config.from_pyfile(str(path))
    except Exception as error:  # any error in a user's Python file is theirs to fix
        raise ConfigError(f"cannot load {path}: {type(error).__name__}: {error}") from None
