"""Invalid input, with a message per field, shared by the web forms, the API and the CLI."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

M = TypeVar("M", bound=BaseModel)


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


def whole_number(value: Any) -> Any:
    """Accept 3.0 as 3 (JSON does not tell them apart); refuse 3.5, "3" and true."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def field_path(loc: tuple[int | str, ...]) -> str:
    """`ratings.high-agency.evidence` from pydantic's location tuple."""
    return ".".join(str(part) for part in loc) or "body"


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
