"""Web forms: candidates, interviews, and the scorecard form built from a rubric."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    EmailField,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    widgets,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from hiring.models import CandidateStatus, Recommendation
from hiring.rubrics import Rubric
from hiring.scoring import EVIDENCE_MAX_LENGTH, AntiPatternInput, RatingInput, ScorecardInput
from hiring.validation import unstorable

NOT_ASSESSED = "not-assessed"
RECOMMENDATION_LABELS = {
    Recommendation.STRONG_NO: "Strong no",
    Recommendation.NO: "No",
    Recommendation.YES: "Yes",
    Recommendation.STRONG_YES: "Strong yes",
}


def storable(_form: Any, field: Any) -> None:
    """A validator refusing text that no database can store (a NUL character, say)."""
    problem = unstorable(field.data or "")
    if problem:
        raise ValidationError(f"{problem[0].upper()}{problem[1:]}.")


class CheckboxListField(SelectMultipleField):
    """Several choices as checkboxes rather than a multi-select box."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class CandidateForm(FlaskForm):
    """A new candidate; the view fills the rubric and stage profile choices."""

    name = StringField(
        "Name",
        validators=[DataRequired("Enter the candidate's full name."), Length(max=200), storable],
    )
    email = EmailField(
        "Email",
        validators=[
            DataRequired("Enter the candidate's email address."),
            Length(max=254),
            storable,
        ],
    )
    rubric = SelectField(
        "Role (rubric)", validators=[DataRequired("Choose the role they interview for.")]
    )
    stage_profile = SelectField("Stage profile", validators=[Optional()])


class StatusForm(FlaskForm):
    """A candidate's status."""

    status = SelectField(
        "Status", choices=[SelectChoice(s.value, s.value.title()) for s in CandidateStatus]
    )


class InterviewForm(FlaskForm):
    """An interview to assign; the view fills the interviewer and competency choices."""

    interviewer_email = SelectField(
        "Interviewer", validators=[DataRequired("Choose who interviews the candidate.")]
    )
    focus = CheckboxListField("Focus competencies (none ticked: all)")
    scheduled_at = DateTimeLocalField(
        "Scheduled (your time zone)", format="%Y-%m-%dT%H:%M", validators=[Optional()]
    )
    timezone_offset = HiddenField()  # minutes east of UTC, set by the browser


def rating_field(competency_id: str) -> str:
    """Name of the rating field of a competency."""
    return f"rating__{competency_id}"


def evidence_field(competency_id: str) -> str:
    """Name of the evidence field of a competency."""
    return f"evidence__{competency_id}"


def ticked_field(anti_pattern_id: str) -> str:
    """Name of the checkbox of an anti-pattern."""
    return f"ticked__{anti_pattern_id}"


def anti_pattern_evidence_field(anti_pattern_id: str) -> str:
    """Name of the evidence field of an anti-pattern."""
    return f"ap_evidence__{anti_pattern_id}"


def scorecard_form_class(rubric: Rubric, focus: list[str]) -> type[FlaskForm]:
    """A fresh form class for this rubric and these focus competencies (never a shared one)."""

    class ScorecardForm(FlaskForm):
        version = HiddenField(default="0")
        recommendation = RadioField(
            "Overall recommendation",
            choices=[SelectChoice(r.value, label) for r, label in RECOMMENDATION_LABELS.items()],
            validators=[Optional()],
        )
        takeaways = TextAreaField(
            "Key takeaways", validators=[Length(max=EVIDENCE_MAX_LENGTH), storable]
        )

    for competency in rubric.competencies:
        if competency.id not in focus:
            continue
        choices = [
            SelectChoice(str(p.value), f"{p.value} {p.label}: {competency.anchors[p.value]}")
            for p in rubric.scale
        ]
        choices.append(SelectChoice(NOT_ASSESSED, "Not assessed"))
        setattr(
            ScorecardForm,
            rating_field(competency.id),
            RadioField(competency.name, choices=choices, default=NOT_ASSESSED),
        )
        setattr(
            ScorecardForm,
            evidence_field(competency.id),
            TextAreaField(
                f"Evidence for {competency.name}: what the candidate said or did",
                validators=[Length(max=EVIDENCE_MAX_LENGTH), storable],
            ),
        )
    for pattern in rubric.anti_patterns:
        setattr(ScorecardForm, ticked_field(pattern.id), BooleanField(pattern.name))
        setattr(
            ScorecardForm,
            anti_pattern_evidence_field(pattern.id),
            TextAreaField(
                f"What you saw ({pattern.name})",
                validators=[Length(max=EVIDENCE_MAX_LENGTH), storable],
            ),
        )
    return ScorecardForm


def scorecard_input(form: Any, rubric: Rubric, focus: list[str], submit: bool) -> ScorecardInput:
    """The scorecard a submitted form describes."""
    ratings = {}
    for competency_id in focus:
        chosen = form[rating_field(competency_id)].data
        ratings[competency_id] = RatingInput(
            rating=None if chosen in (None, "", NOT_ASSESSED) else int(chosen),
            evidence=form[evidence_field(competency_id)].data or "",
        )
    anti_patterns = [
        AntiPatternInput(id=p.id, evidence=form[anti_pattern_evidence_field(p.id)].data or "")
        for p in rubric.anti_patterns
        if form[ticked_field(p.id)].data
    ]
    # Optional() lets a blank answer through unchecked: blank means none chosen.
    recommendation = (form.recommendation.data or "").strip()
    return ScorecardInput(
        ratings=ratings,
        anti_patterns=anti_patterns,
        recommendation=Recommendation(recommendation) if recommendation else None,
        takeaways=form.takeaways.data or "",
        submit=submit,
    )


def fill_scorecard_form(form: Any, rubric: Rubric, saved: dict[str, Any]) -> None:
    """Put a saved scorecard's content (as the API shows it) into the form's fields."""
    form.version.data = str(saved["version"])
    for competency_id, given in saved["ratings"].items():
        if rating_field(competency_id) in form:
            rating = given.get("rating")
            form[rating_field(competency_id)].data = NOT_ASSESSED if rating is None else str(rating)
            form[evidence_field(competency_id)].data = given.get("evidence", "")
    for ticked in saved["anti_patterns"]:
        if ticked_field(ticked["id"]) in form:
            form[ticked_field(ticked["id"])].data = True
            form[anti_pattern_evidence_field(ticked["id"])].data = ticked.get("evidence", "")
    form.recommendation.data = saved["recommendation"]
    form.takeaways.data = saved["takeaways"]


def form_field_for(path: str, data: ScorecardInput) -> str:
    """The form field that shows a problem reported for `path` (a scorecard field path)."""
    parts = path.split(".")
    if parts[0] == "ratings" and len(parts) >= 2:
        return evidence_field(parts[1]) if parts[-1] == "evidence" else rating_field(parts[1])
    if parts[0] == "anti_patterns" and len(parts) >= 2 and parts[1].isdigit():
        return anti_pattern_evidence_field(data.anti_patterns[int(parts[1])].id)
    return parts[0]
