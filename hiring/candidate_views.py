"""Recruiters' pages: the candidate list, adding a candidate, and a candidate's interview
loop with its rollup."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from hiring import candidate_list, candidates
from hiring.auth import role_required
from hiring.calibration import MIN_RATINGS
from hiring.candidate_list import CandidateQuery
from hiring.forms import RECOMMENDATION_LABELS, CandidateForm, InterviewForm, StatusForm
from hiring.models import Candidate, Role, utcnow
from hiring.rollup import candidate_rollups
from hiring.rubric_loader import RubricSet
from hiring.rubrics import Rubric
from hiring.serialize import candidate_json
from hiring.tables import ROLLUP_HEADER, csv_text, rollup_rows
from hiring.validation import InvalidInput, in_range
from hiring.web import csv_download, db_session, found_or_404, rubric_set, write_session

bp = Blueprint("candidates", __name__, url_prefix="/candidates")
SCORECARD_LABELS = {None: "Not started", "draft": "Draft", "submitted": "Submitted"}
RECOMMENDATIONS = {choice.value: label for choice, label in RECOMMENDATION_LABELS.items()}
REFRESH_LIMIT = 100  # summaries recomputed per page load, so that no load waits long


@bp.get("/")
@role_required(Role.RECRUITER, Role.ADMIN)
def index() -> str:
    """The candidates matching the filters, a page at a time, with their rollup in brief."""
    query = _list_query()
    more_stale = _refresh_summaries()
    session = db_session()
    page = candidate_list.candidate_page(session=session, query=query)
    return render_template(
        "candidates/index.html",
        page=page,
        anyone=page.total > 0 or candidates.count_candidates(session=session) > 0,
        filtered=any((query.rubric, query.status, query.stage, query.flags)),
        more_stale=more_stale,
        choices=candidate_list.query_choices(rubric_set()),
        titles={rubric.id: rubric.title for rubric in rubric_set().rubrics.values()},
        sort_labels=candidate_list.SORT_LABELS,
        flag_labels=candidate_list.FLAG_LABELS,
        list_url=_list_url(query, page.page),
    )


@bp.get("/rollups.csv")
@role_required(Role.RECRUITER, Role.ADMIN)
def export() -> Response:
    """The rollups of every candidate matching the filters, one row per competency."""
    query = _list_query()
    _refresh_summaries()
    found = candidate_list.matching_candidates(session=db_session(), query=query)
    rollups = candidate_rollups(
        session=db_session(), candidates=found, rubrics=rubric_set(), now=utcnow()
    )
    text = csv_text(ROLLUP_HEADER, rollup_rows(rollups))
    return csv_download(text, f"candidates-{utcnow():%Y-%m-%d}.csv")


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
    """A candidate's loop and rollup: status, the panel's ratings, flags and gaps,
    interviews with their scorecards, and assigning another."""
    candidate = _candidate(candidate_id)
    return _render_detail(candidate, _status_form(candidate), _interview_form(candidate))


@bp.get("/<int:candidate_id>/rollup.csv")
@role_required(Role.RECRUITER, Role.ADMIN)
def rollup_csv(candidate_id: int) -> Response:
    """The candidate's rollup as CSV, one row per assessed competency."""
    rollup = _rollup(_candidate(candidate_id))
    if rollup is None:
        abort(503, "This rollup cannot be computed while the candidate's rubric is unavailable.")
    return csv_download(
        csv_text(ROLLUP_HEADER, rollup_rows([rollup])), f"candidate-{candidate_id}-rollup.csv"
    )


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
    form.stage_profile.choices += [(name, name) for name in candidate_list.stage_profiles(rubrics)]
    return form


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
    except (ValueError, OverflowError):
        problem = "your browser sent a time zone this page cannot read: reload it and try again"
        raise InvalidInput({"scheduled_at": problem}) from None
    try:
        return in_range(local.replace(tzinfo=zone))
    except ValueError as error:
        raise InvalidInput({"scheduled_at": str(error)}) from None


def _render_detail(
    candidate: Candidate, status_form: StatusForm, interview_form: InterviewForm, status: int = 200
) -> tuple[str, int]:
    rubric = rubric_set().rubrics.get(candidate.rubric_id)
    rows = candidate_json(db_session(), candidate)["interviews"]
    page = render_template(
        "candidates/detail.html",
        candidate=candidate,
        rubric=rubric,
        rollup=_rollup(candidate),
        recommendations=RECOMMENDATIONS,
        min_ratings=MIN_RATINGS,
        added=candidate.created_at.astimezone(UTC),
        interviews=[_interview_row(row, rubric) for row in rows],
        status_form=status_form,
        interview_form=interview_form,
    )
    return page, status


def _rollup(candidate: Candidate) -> dict[str, Any] | None:
    """The candidate's rollup, or None while their rubric is unavailable."""
    found = candidate_rollups(
        session=db_session(), candidates=[candidate], rubrics=rubric_set(), now=utcnow()
    )
    return found[0] if found else None


def _list_query() -> CandidateQuery:
    """The list's filters, sort and page from the URL; a 400 naming any unknown value."""
    try:
        return candidate_list.parse_query(request.args, rubric_set())
    except InvalidInput as error:
        abort(400, " ".join(f"{message}." for message in error.details.values()))


def _list_url(query: CandidateQuery, page: int) -> Callable[..., str]:
    """A function giving the list's URL with these filters, sort and page, some changed."""
    current = {**asdict(query), "page": page, "per_page": None}
    defaults = {"sort": candidate_list.DEFAULT_SORT, "page": 1}

    def url(endpoint: str = "candidates.index", **changes: Any) -> str:
        wanted = {**current, **changes}
        return url_for(endpoint, **{k: v for k, v in wanted.items() if v and v != defaults.get(k)})

    return url


def _refresh_summaries() -> bool:
    """Recompute the list summaries that are missing or out of date (a submitted
    scorecard drops its candidate's) in a short write transaction; True when more
    remain for the next page load."""
    rubrics = rubric_set()
    stale = candidate_list.stale_candidates(
        session=db_session(), rubrics=rubrics, limit=REFRESH_LIMIT
    )
    if stale:
        with write_session() as writer:
            candidate_list.refresh_rollups(
                session=writer, candidates=stale, rubrics=rubrics, now=utcnow()
            )
        db_session().commit()  # end the read transaction: on SQLite it would keep its snapshot
    return len(stale) == REFRESH_LIMIT


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
