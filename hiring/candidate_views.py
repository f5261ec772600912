"""Recruiters' pages: the candidate list, adding a candidate, and a candidate's interview loop."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from hiring import candidates
from hiring.auth import role_required
from hiring.forms import CandidateForm, InterviewForm, StatusForm
from hiring.models import Candidate, CandidateStatus, Role
from hiring.rubric_loader import RubricSet
from hiring.rubrics import Rubric
from hiring.serialize import candidate_json
from hiring.validation import InvalidInput
from hiring.web import db_session, found_or_404, rubric_set

bp = Blueprint("candidates", __name__, url_prefix="/candidates")
STATUSES = [status.value for status in CandidateStatus]
SCORECARD_LABELS = {None: "Not started", "draft": "Draft", "submitted": "Submitted"}


@bp.get("/")
@role_required(Role.RECRUITER, Role.ADMIN)
def index() -> str:
    """Every candidate, or those with the status asked for, with their loop's progress."""
    wanted = request.args.get("status", "")
    if wanted and wanted not in STATUSES:
        abort(400, f"{wanted!r} is not a status: choose one of {', '.join(STATUSES)}.")
    session = db_session()
    shown = candidates.list_candidates(session=session, status=wanted or None)
    return render_template(
        "candidates/index.html",
        candidates=shown,
        total=len(shown) if not wanted else candidates.count_candidates(session=session),
        progress=candidates.loop_progress(session=session),
        titles={rubric.id: rubric.title for rubric in rubric_set().rubrics.values()},
        statuses=STATUSES,
        wanted=wanted,
    )


@bp.route("/new", methods=["GET", "POST"])
@role_required(Role.RECRUITER, Role.ADMIN)
def new() -> Response | str | tuple[str, int]:
    """Add a candidate: name, email, the role's rubric and an optional stage profile."""
    rubrics = rubric_set()
    form = _candidate_form(rubrics)
    if not form.is_submitted():
        return _render_new(form, rubrics)
    if form.validate():
        try:
            candidate = candidates.create_candidate(
                session=db_session(),
                rubrics=rubrics,
                name=form.name.data or "",
                email=form.email.data or "",
                rubric_id=form.rubric.data or "",
                stage_profile=form.stage_profile.data or None,
            )
        except InvalidInput as error:
            _show_errors(form, error)
        else:
            db_session().commit()
            flash("Candidate added.", "info")
            return redirect(url_for("candidates.detail", candidate_id=candidate.id))
    return _render_new(form, rubrics), 400


@bp.get("/<int:candidate_id>")
@role_required(Role.RECRUITER, Role.ADMIN)
def detail(candidate_id: int) -> tuple[str, int]:
    """A candidate's loop: status, interviews with their scorecards, and assigning another."""
    candidate = _candidate(candidate_id)
    return _render_detail(candidate, _status_form(candidate), _interview_form(candidate))


@bp.post("/<int:candidate_id>/status")
@role_required(Role.RECRUITER, Role.ADMIN)
def change_status(candidate_id: int) -> Response | tuple[str, int]:
    """Move the candidate to another status."""
    candidate = _candidate(candidate_id)
    form = StatusForm()
    if form.validate():
        try:
            candidates.set_status(
                session=db_session(), candidate=candidate, status=form.status.data or ""
            )
        except InvalidInput as error:
            _show_errors(form, error)
        else:
            db_session().commit()
            flash(f"Status set to {candidate.status.value.title()}.", "info")
            return redirect(url_for("candidates.detail", candidate_id=candidate_id))
    return _render_detail(candidate, form, _interview_form(candidate), status=400)


@bp.post("/<int:candidate_id>/interviews")
@role_required(Role.RECRUITER, Role.ADMIN)
def assign_interview(candidate_id: int) -> Response | tuple[str, int]:
    """Assign an interviewer to the candidate, on some competencies, at a time."""
    candidate = _candidate(candidate_id)
    form = _interview_form(candidate, submitted=True)
    if form.validate():
        try:
            candidates.assign_interview(
                session=db_session(),
                rubrics=rubric_set(),
                candidate=candidate,
                interviewer_email=form.interviewer_email.data or "",
                focus=form.focus.data or None,
                scheduled_at=_scheduled_at(form),
            )
        except InvalidInput as error:
            _show_errors(form, error)
        else:
            db_session().commit()
            flash(f"Interview assigned to {form.interviewer_email.data}.", "info")
            return redirect(url_for("candidates.detail", candidate_id=candidate_id))
    return _render_detail(candidate, _status_form(candidate), form, status=400)


def _candidate(candidate_id: int) -> Candidate:
    return found_or_404(Candidate, candidate_id, "candidate")


def _show_errors(form: Any, error: InvalidInput) -> None:
    """Put each message next to its field; one the form has no field for goes above it."""
    for field, message in error.details.items():
        (form[field].errors if field in form else form.form_errors).append(message)


def _candidate_form(rubrics: RubricSet) -> CandidateForm:
    form = CandidateForm()
    form.rubric.choices = [("", "Choose a role")]
    form.rubric.choices += [(rubric.id, rubric.title) for rubric in rubrics.rubrics.values()]
    form.stage_profile.choices = [("", "None")]
    form.stage_profile.choices += [(name, name) for name in _stage_profiles(rubrics)]
    return form


def _stage_profiles(rubrics: RubricSet) -> list[str]:
    """Every stage profile name used by any rubric, in order of first appearance."""
    names = (name for rubric in rubrics.rubrics.values() for name in rubric.stage_profiles)
    return list(dict.fromkeys(names))


def _render_new(form: CandidateForm, rubrics: RubricSet) -> str:
    profiles = {r.title: list(r.stage_profiles) for r in rubrics.rubrics.values()}
    return render_template("candidates/new.html", form=form, profiles=profiles)


def _status_form(candidate: Candidate) -> StatusForm:
    return StatusForm(formdata=None, status=candidate.status.value)


def _interview_form(candidate: Candidate, submitted: bool = False) -> InterviewForm:
    """The form to assign an interview, with this team's interviewers and this rubric's
    competencies; it reads the request only when it is the form being submitted."""
    form = InterviewForm() if submitted else InterviewForm(formdata=None)
    people = candidates.interviewers(session=db_session())
    form.interviewer_email.choices = [("", "Choose an interviewer")]
    form.interviewer_email.choices += [(u.email, f"{u.name} ({u.role.value})") for u in people]
    rubric = rubric_set().rubrics.get(candidate.rubric_id)
    form.focus.choices = [(c.id, c.name) for c in rubric.competencies] if rubric else []
    return form


def _scheduled_at(form: InterviewForm) -> datetime | None:
    """The local date and time typed in the form, as a moment in UTC.

    The browser sends its offset in minutes east of UTC; without JavaScript it sends
    nothing and the time is read as UTC, which the form says.
    """
    local: datetime | None = form.scheduled_at.data
    if local is None:
        return None
    offset = (form.timezone_offset.data or "").strip()
    try:
        zone = timezone(timedelta(minutes=int(offset) if offset else 0))
        return local.replace(tzinfo=zone).astimezone(UTC)
    except (ValueError, OverflowError):
        problem = "your browser sent a time zone this page cannot read: reload it and try again"
        raise InvalidInput({"scheduled_at": problem}) from None


def _render_detail(
    candidate: Candidate, status_form: StatusForm, interview_form: InterviewForm, status: int = 200
) -> tuple[str, int]:
    rubric = rubric_set().rubrics.get(candidate.rubric_id)
    rows = candidate_json(db_session(), candidate)["interviews"]
    page = render_template(
        "candidates/detail.html",
        candidate=candidate,
        rubric=rubric,
        added=candidate.created_at.astimezone(UTC),
        interviews=[_interview_row(row, rubric) for row in rows],
        status_form=status_form,
        interview_form=interview_form,
    )
    return page, status


def _interview_row(row: dict[str, Any], rubric: Rubric | None) -> dict[str, Any]:
    """An interview as the API shows it, with competency names and times in UTC to display."""
    names = {c.id: c.name for c in rubric.competencies} if rubric else {}
    return {
        **row,
        "focus_names": [names.get(competency, competency) for competency in row["focus"]],
        "scheduled_at": _utc(row["scheduled_at"]),
        "due_at": _utc(row["due_at"]),
        "scorecard_label": SCORECARD_LABELS.get(row["scorecard_status"], row["scorecard_status"]),
    }


def _utc(moment: str | None) -> datetime | None:
    return datetime.fromisoformat(moment).astimezone(UTC) if moment else None
