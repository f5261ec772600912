"""The rubric format: pydantic models of a rubric file, with every invariant they check."""

from __future__ import annotations

import functools
import hashlib
import itertools
import json
from collections.abc import Iterable
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
)

Slug = Annotated[
    str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", min_length=1, max_length=80)
]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Weight = Annotated[float, Field(gt=0)]
Severity = Literal["low", "medium", "high"]
SCALE_POINTS = range(2, 11)  # a scale has 2 to 10 points


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ScalePoint(_Strict):
    """One point of the rating scale."""

    value: int = Field(description="Integer rating; the scale is ordered low to high.")
    label: Text = Field(description="What the rating means, e.g. 'Strong no'.")


class Competency(_Strict):
    """A competency to assess, with one behavioural anchor per scale value."""

    id: Slug
    name: Text
    description: str = ""
    weight: Weight = Field(1.0, description="Weight in the overall score (> 0).")
    questions: list[Text] = Field([], description="Interview questions for this competency.")
    anchors: dict[int, Text] = Field(
        description="Observable behaviour for each scale value; one per value, all required."
    )

    @field_validator("id")
    @classmethod
    def _unique_id(cls, value: str, info: ValidationInfo) -> str:
        return _unique(value, info, "competency")

    @field_validator("anchors")
    @classmethod
    def _anchors_cover_scale(cls, anchors: dict[int, str], info: ValidationInfo) -> dict[int, str]:
        scale = _context(info).get("scale_values")
        if scale is None:
            return anchors
        problems = [
            f"missing anchor for scale value {value}" for value in scale if value not in anchors
        ]
        problems += [
            f"anchor for {value}, which is not a value of the scale ({listed(scale)})"
            for value in anchors
            if value not in scale
        ]
        if problems:
            raise ValueError("; ".join(problems))
        return dict(sorted(anchors.items()))


class AntiPattern(_Strict):
    """A warning sign, with the cues that signal it in interviewers' evidence."""

    id: Slug
    name: Text
    description: str = ""
    severity: Severity
    competencies: list[str] = Field([], description="Ids of the linked competencies.")
    cues: list[Text] = Field(
        min_length=1, description="Phrases that, found in interviewers' evidence, signal it."
    )
    threshold: float | None = Field(
        None, description="Flag when the linked competencies' mean rating is at or below this."
    )

    @field_validator("id")
    @classmethod
    def _unique_id(cls, value: str, info: ValidationInfo) -> str:
        return _unique(value, info, "anti-pattern")

    @field_validator("competencies")
    @classmethod
    def _known_competencies(cls, ids: list[str], info: ValidationInfo) -> list[str]:
        _check_references(ids, info)
        return ids

    @field_validator("threshold")
    @classmethod
    def _threshold_on_scale(cls, value: float | None, info: ValidationInfo) -> float | None:
        scale = _context(info).get("scale_values")
        if value is not None and scale and not scale[0] <= value <= scale[-1]:
            raise ValueError(
                f"threshold {value:g} is outside the scale ({scale[0]} to {scale[-1]})"
            )
        return value


class Rubric(_Strict):
    """A rubric for one role: scale, competencies, anti-patterns, stage profiles."""

    id: Slug = Field(description="Slug, unique across the rubric folder.")
    title: Text
    version: int = Field(ge=1, description="Bumped by the author on every change.")
    description: str = ""
    scale: list[ScalePoint] = Field(
        min_length=SCALE_POINTS[0],
        max_length=SCALE_POINTS[-1],
        description=f"Rating scale, low to high, {SCALE_POINTS[0]} to {SCALE_POINTS[-1]} points.",
    )
    competencies: list[Competency] = Field(min_length=1)
    anti_patterns: list[AntiPattern] = []
    stage_profiles: dict[Slug, dict[str, Weight]] = Field(
        {}, description="Per company stage, competency weights that replace the defaults."
    )

    @field_validator("scale")
    @classmethod
    def _increasing(cls, scale: list[ScalePoint]) -> list[ScalePoint]:
        values = [point.value for point in scale]
        if not strictly_increasing_integers(values):
            raise ValueError(
                f"values must increase strictly from low to high, got {listed(values)}"
            )
        return scale

    @field_validator("stage_profiles")
    @classmethod
    def _profiles_reference_competencies(
        cls, profiles: dict[str, dict[str, float]], info: ValidationInfo
    ) -> dict[str, dict[str, float]]:
        for name, weights in profiles.items():
            _check_references(list(weights), info, where=f"stage profile {name!r}")
        return profiles

    @functools.cached_property
    def content_hash(self) -> str:
        """SHA-256 of the rubric's content: comments and layout of the file do not count
        (worked out once: a rubric is never changed)."""
        canonical = json.dumps(self.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(canonical.encode()).hexdigest()

    def competency(self, competency_id: str) -> Competency:
        """The competency with this id."""
        return next(c for c in self.competencies if c.id == competency_id)

    def weights(self, stage_profile: str | None = None) -> dict[str, float]:
        """Each competency's weight, re-weighted by a stage profile if one is given."""
        overrides = self.stage_profiles.get(stage_profile or "", {})
        return {c.id: overrides.get(c.id, c.weight) for c in self.competencies}


def _context(info: ValidationInfo) -> dict[str, Any]:
    return info.context or {}


def listed(values: Iterable[object]) -> str:
    return ", ".join(str(value) for value in values)


def _unique(value: str, info: ValidationInfo, kind: str) -> str:
    if _context(info).get(f"{kind}_counts", {}).get(value, 0) > 1:
        raise ValueError(f"{kind} id {value!r} is used more than once in this rubric")
    return value


def _check_references(ids: list[str], info: ValidationInfo, where: str = "") -> None:
    known = _context(info).get("competency_ids")
    if known is None:
        return
    unknown = [i for i in ids if i not in known]
    if unknown:
        prefix = f"{where}: " if where else ""
        raise ValueError(
            f"{prefix}unknown competency {listed(repr(i) for i in unknown)}; "
            f"this rubric's competencies are {listed(sorted(known))}"
        )


def strictly_increasing_integers(values: list[Any]) -> bool:
    if not values or not all(type(v) is int for v in values):
        return False
    return all(low < high for low, high in itertools.pairwise(values))


def json_schema() -> dict[str, Any]:
    """The JSON Schema of the rubric format, for editors that validate and complete YAML."""
    schema = Rubric.model_json_schema()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "hiring rubric",
        "description": "A rubric file of hiring (rubrics/*.yaml).",
        **{key: value for key, value in schema.items() if key != "title"},
    }
