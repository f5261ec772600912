"""Interviewers' pages: my interviews, the scorecard form with drafts and autosave, and
the read-only scorecard that colleagues may see once they have submitted their own."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlmodel import col, select
from werkzeug.wrappers import Response

from hiring import candidates, scoring
from hiring.forms import (
    RECOMMENDATION_LABELS,
    anti_pattern_evidence_field,
    fill_scorecard_form,
    form_field_for,
    scorecard_form_class,
    scorecard_input,
    ticked_field,
)
from hiring.models import Candidate, Interview, Role, ScorecardStatus, User, utcnow
from hiring.rubrics import Rubric
from hiring.serialize import interviews_json, scorecard_json
from hiring.validation import InvalidInput
from hiring.web import db_session, interview_or_404, rubric_set

bp = Blueprint("interviews", __name__, url_prefix="/interviews")
GROUPS = (
    ("overdue", "Overdue"),
    ("due", "Due now"),
    ("upcoming", "Upcoming"),
    ("submitted", "Submitted"),
)


@bp.get("/")
@login_required
def mine() -> str:
    """The signed-in user's interviews, grouped: overdue, due, upcoming, submitted."""
    session = db_session()
    statement = (
        select(Interview)
        .where(Interview.interviewer_id == current_user.id)
        .order_by(col(Interview.scheduled_at), col(Interview.id))
    )
    interviews = list(session.exec(statement).all())
    rows = interviews_json(session, interviews)
    names = {
        c.id: c
        for c in session.exec(
            select(Candidate).where(col(Candidate.id).in_({i.candidate_id for i in interviews}))
        )
    }
    rubrics = rubric_set().rubrics
    for row in rows:
        row["candidate"] = names[row["candidate_id"]]
        rubric = rubrics.get(row["candidate"].rubric_id)
        row["rubric_title"] = rubric.title if rubric else row["candidate"].rubric_id
    grouped = {key: [r for r in rows if r["state"] == key] for key, _ in GROUPS}
    return render_template("interviews/mine.html", groups=GROUPS, grouped=grouped)


def _rubric(interview: Interview, candidate: Candidate) -> tuple[Rubric, Any]:
    """The rubric the scorecard uses (its snapshot once started) and the scorecard, if any."""
    session = db_session()
    scorecard = scoring.scorecard_for(session=session, interview=interview)
    if scorecard is not None:
        return scoring.rubric_of(session=session, scorecard=scorecard), scorecard
    try:
        return candidates.rubric_for(candidate, rubric_set()), None
    except InvalidInput as error:
        abort(503, f"This scorecard cannot be shown: {error}.")


@bp.route("/<int:interview_id>/scorecard", methods=["GET", "POST"])
@login_required
def scorecard(interview_id: int) -> Response | str | tuple[str, int]:
    """The scorecard form for its interviewer; a read-only page for everyone allowed to see it."""
    interview, candidate = interview_or_404(interview_id)
    if current_user.id != interview.interviewer_id:
        if request.method == "POST":  # as autosave and the API answer: nothing is saved
            abort(403, "Only the assigned interviewer may write this scorecard.")
        return _read_only(interview, candidate)
    rubric, saved = _rubric(interview, candidate)
    form = scorecard_form_class(rubric, interview.focus)()
    if request.method == "GET":
        fill_scorecard_form(
            form, rubric, scorecard_json(db_session(), saved, interview, rubric_set())
        )
        return _render_form(form, interview, candidate, rubric, saved)
    action = request.form.get("action", "draft")
    valid = form.validate()  # every field's errors, and the anti-patterns' below
    if _unticked_evidence(form, rubric) or not valid:
        return _render_form(form, interview, candidate, rubric, saved, status=400)
    data = scorecard_input(form, rubric, interview.focus, submit=action == "submit")
    try:
        result = _save(interview, rubric, data, form.version.data)
    except InvalidInput as error:
        for path, message in error.details.items():
            field = form_field_for(path, data)
            (form[field].errors if field in form else form.form_errors).append(message)
        kept = _keep_as_draft(interview, rubric, data, form, saved)
        return _render_form(
            form, interview, candidate, rubric, kept or saved, kept=kept is not None, status=400
        )
    except scoring.StaleScorecard as stale:
        form.version.data = str(stale.current.version)
        newer = scorecard_json(db_session(), stale.current)
        return _render_form(
            form, interview, candidate, rubric, stale.current, newer=newer, status=409
        )
    flash(_saved_message(action, result), "info")
    if action == "submit":
        return redirect(url_for("interviews.mine"))
    return redirect(url_for("interviews.scorecard", interview_id=interview.id))


def _unticked_evidence(form: Any, rubric: Rubric) -> bool:
    """Evidence written under an anti-pattern that is not ticked would be lost: say so."""
    found = False
    for pattern in rubric.anti_patterns:
        evidence = form[anti_pattern_evidence_field(pattern.id)]
        if not form[ticked_field(pattern.id)].data and (evidence.data or "").strip():
            evidence.errors.append("Tick the box above if you saw this, or clear the text.")
            found = True
    return found


def _keep_as_draft(
    interview: Interview, rubric: Rubric, data: Any, form: Any, saved: Any
) -> Any | None:
    """A submission that is not complete yet is kept as a draft, so nothing typed is lost."""
    if not data.submit or (saved is not None and saved.status == ScorecardStatus.SUBMITTED):
        return None
    try:
        kept = _save(
            interview, rubric, data.model_copy(update={"submit": False}), form.version.data
        )
    except (InvalidInput, scoring.StaleScorecard):
        db_session().rollback()
        return None
    form.version.data = str(kept.version)
    return kept


def _save(interview: Interview, rubric: Rubric, data: Any, version: str | None) -> Any:
    session = db_session()
    result = scoring.save_scorecard(
        session=session,
        interview=interview,
        author=current_user._get_current_object(),
        data=data,
        current_rubric=rubric,
        expected_version=_version(version),
    )
    session.commit()
    return result


def _version(text: str | None) -> int:
    """The version the form was loaded at; a field tampered with counts as none (0)."""
    return int(text) if text and text.isascii() and text.isdigit() and len(text) <= 18 else 0


def _saved_message(action: str, saved: Any) -> str:
    if action == "submit":
        return "Scorecard submitted. You can now read your colleagues' scorecards."
    if saved.status == ScorecardStatus.SUBMITTED:
        return "Amendment saved and recorded in the audit log."
    return "Draft saved."


@bp.post("/<int:interview_id>/scorecard/autosave")
@login_required
def autosave(interview_id: int) -> tuple[Response, int]:
    """Save a draft in the background (JavaScript); answers JSON."""
    interview, candidate = interview_or_404(interview_id)
    if current_user.id != interview.interviewer_id:
        return jsonify({"error": "Only the assigned interviewer may write this scorecard."}), 403
    rubric, saved = _rubric(interview, candidate)
    if saved is not None and saved.status == ScorecardStatus.SUBMITTED:
        return jsonify(
            {"error": "Submitted scorecards are amended explicitly, not autosaved."}
        ), 409
    form = scorecard_form_class(rubric, interview.focus)()
    if not form.validate():
        problems = "; ".join(
            f"{form[name].label.text if name in form else 'The form'}: {messages[0]}"
            for name, messages in form.errors.items()
        )
        return jsonify({"error": f"Not saved. {problems}", "details": form.errors}), 400
    data = scorecard_input(form, rubric, interview.focus, submit=False)
    try:
        result = _save(interview, rubric, data, form.version.data)
    except InvalidInput as error:
        return jsonify({"error": str(error), "details": error.details}), 400
    except scoring.StaleScorecard as stale:
        message = (
            "Not saved: this scorecard was changed elsewhere (another tab?). "
            "Press Save draft to compare your text with the newer version."
        )
        return jsonify({"error": message, "version": stale.current.version}), 409
    return jsonify({"version": result.version, "saved_at": result.updated_at.isoformat()}), 200


def _render_form(
    form: Any,
    interview: Interview,
    candidate: Candidate,
    rubric: Rubric,
    saved: Any,
    newer: dict[str, Any] | None = None,
    kept: bool = False,
    status: int = 200,
) -> tuple[str, int]:
    page = render_template(
        "interviews/scorecard.html",
        form=form,
        interview=interview,
        candidate=candidate,
        rubric=rubric,
        saved=saved,
        newer=newer,
        kept=kept,
        unsaved=newer is not None or (status >= 400 and not kept),
        competencies=[c for c in rubric.competencies if c.id in interview.focus],
    )
    return page, status


def _audit_label(path: str, rubric: Rubric) -> str:
    """`ratings.high-agency.evidence` as a person reads it: "High agency: evidence"."""
    names = {c.id: c.name for c in rubric.competencies}
    names |= {p.id: p.name for p in rubric.anti_patterns}
    parts = path.split(".")
    if parts[0] == "ratings" and len(parts) == 3:
        return f"{names.get(parts[1], parts[1])}: {parts[2]}"
    if parts[0] == "anti_patterns" and len(parts) == 2:
        return f"Anti-pattern {names.get(parts[1], parts[1])}"
    return {"recommendation": "Recommendation", "takeaways": "Key takeaways"}.get(path, path)


def _audit_value(value: Any) -> str:
    if value in (None, ""):
        return "(empty)"
    labels = {r.value: label for r, label in RECOMMENDATION_LABELS.items()}
    return labels.get(value, str(value)) if isinstance(value, str) else str(value)


def _read_only(interview: Interview, candidate: Candidate) -> tuple[str, int]:
    session = db_session()
    viewer: User = current_user._get_current_object()
    if not scoring.may_see_panel(session=session, user=viewer, candidate_id=candidate.id or 0):
        abort(403, "Submit your own scorecard for this candidate before reading colleagues'.")
    rubric, saved = _rubric(interview, candidate)
    author = session.get(User, interview.interviewer_id)
    trail = scoring.audit_trail(session=session, scorecard=saved) if saved else []
    actors = {
        u.id: u
        for u in session.exec(select(User).where(col(User.id).in_({e.actor_id for e in trail})))
    }
    page = render_template(
        "interviews/view.html",
        interview=interview,
        candidate=candidate,
        rubric=rubric,
        saved=saved,
        author=author,
        trail=trail if viewer.role in (Role.RECRUITER, Role.ADMIN) else [],
        actors=actors,
        audit_label=lambda path: _audit_label(path, rubric),
        audit_value=_audit_value,
        now=utcnow(),
    )
    return page, 200
