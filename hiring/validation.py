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
