"""Invalid input, with a message per field, shared by the web forms, the API and the CLI."""

from __future__ import annotations

from collections import deque
from datetime import UTC, datetime
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

M = TypeVar("M", bound=BaseModel)
MAX_ID = 2**31 - 1  # ids are INTEGER columns: PostgreSQL refuses to even look up a larger one
LATEST_YEAR = 9998  # a later time leaves no room for the day after it (a scorecard's due time)


class InvalidInput(ValueError):
    """Input that cannot be accepted; `details` maps each field (dotted path) to what is wrong."""

    def __init__(self, details: dict[str, str], message: str = "") -> None:
        self.details = details
        summary = message or "; ".join(f"{field}: {problem}" for field, problem in details.items())
        super().__init__(summary)


def iso_text(value: Any) -> Any:
    """Refuse a date given as a number: dates travel as ISO 8601 text with a time zone."""
    if isinstance(value, int | float):
        raise ValueError("give the time as ISO 8601 text, e.g. 2026-12-01T14:00:00+01:00")
    return value


def in_range(value: datetime | None) -> datetime | None:
    """An aware time in UTC, refusing one that has no UTC equivalent or no day after it."""
    if value is None:
        return None
    try:
        moment = value.astimezone(UTC)
    except OverflowError:  # 0001-01-01 east of UTC, 9999-12-31 west of it
        moment = None
    if moment is None or moment.year > LATEST_YEAR:
        raise ValueError(
            f"out of range: give a real date up to {LATEST_YEAR}, e.g. 2026-12-01T14:00:00+01:00"
        )
    return moment


def whole_number(value: Any) -> Any:
    """Accept 3.0 as 3 (JSON does not tell them apart); refuse 3.5, "3" and true."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def field_path(loc: tuple[int | str, ...]) -> str:
    """`ratings.high-agency.evidence` from pydantic's location tuple."""
    return ".".join(str(part) for part in loc) or "body"


def unstorable(text: str) -> str | None:
    """Why no database can store `text`, or None: PostgreSQL refuses the NUL character, and
    a lone surrogate (what a JSON escape such as \\ud800 gives on its own) is no character."""
    if "\x00" in text:
        return "contains a NUL character (\\u0000): remove it"
    try:
        text.encode()
    except UnicodeEncodeError as error:
        code = f"\\u{ord(text[error.start]):04x}"
        return f"contains {code}, half of a surrogate pair, which is no character: send text"
    return None


def unstorable_text(payload: Any) -> dict[str, str]:
    """Each string of a JSON document (field names too) that `unstorable` refuses, by the
    path of its field; iterative, since the document may be nested as deep as JSON allows."""
    problems: dict[str, str] = {}
    pending: deque[tuple[tuple[int | str, ...], Any]] = deque([((), payload)])
    while pending:
        loc, value = pending.popleft()
        if isinstance(value, str) and (problem := unstorable(value)):
            problems.setdefault(field_path(loc), problem)
        elif isinstance(value, dict):
            for key, item in value.items():
                shown = key.encode(errors="backslashreplace").decode()
                if problem := unstorable(key):
                    problems.setdefault(field_path((*loc, shown)), f"the field name {problem}")
                pending.append(((*loc, shown), item))
        elif isinstance(value, list):
            pending.extend(((*loc, index), item) for index, item in enumerate(value))
    return problems


def parse(model: type[M], payload: Any) -> M:
    """Validate `payload` into `model`, or raise InvalidInput naming every bad field."""
    try:
        return model.model_validate(payload)
    except ValidationError as error:
        details: dict[str, str] = {}
        for problem in error.errors():
            message = problem["msg"].removeprefix("Value error, ")
            if problem["type"] == "extra_forbidden":
                message = "unknown field"
            details.setdefault(field_path(tuple(problem["loc"])), message)
        raise InvalidInput(details) from None
