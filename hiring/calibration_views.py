"""Calibration pages: per rubric, how lenient or harsh each interviewer rates, and how far
the panel agrees on each competency (recruiters and admins)."""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from werkzeug.wrappers import Response

from hiring import calibration, candidate_list, candidates
from hiring.auth import role_required
from hiring.models import Role, utcnow
from hiring.rubrics import Rubric
from hiring.tables import CALIBRATION_HEADER, calibration_rows, csv_text
from hiring.web import csv_download, db_session, rubric_set

bp = Blueprint("calibration", __name__, url_prefix="/calibration")
ICC_NAMES = ("ICC1", "ICC2", "ICC3", "ICC1k", "ICC2k", "ICC3k")


@bp.get("/")
@role_required(Role.RECRUITER, Role.ADMIN)
def index() -> str:
    """Every rubric, with how many candidates, interviewers and ratings it has."""
    return render_template(
        "calibration/index.html",
        rubrics=list(rubric_set().rubrics.values()),
        counts=candidate_list.rubric_counts(session=db_session()),
    )


@bp.get("/<rubric_id>")
@role_required(Role.RECRUITER, Role.ADMIN)
def detail(rubric_id: str) -> str:
    """A rubric's calibration: leniency per interviewer, reliability per competency."""
    rubric = _rubric(rubric_id)
    result = calibration.calibration(session=db_session(), rubric=rubric)
    return render_template(
        "calibration/detail.html",
        rubric=rubric,
        calibration=result,
        names=_names(),
        icc_names=ICC_NAMES,
    )


@bp.get("/<rubric_id>/calibration.csv")
@role_required(Role.RECRUITER, Role.ADMIN)
def download(rubric_id: str) -> Response:
    """A rubric's calibration as CSV: a row per competency, then per interviewer."""
    rubric = _rubric(rubric_id)
    result = calibration.calibration(session=db_session(), rubric=rubric)
    text = csv_text(CALIBRATION_HEADER, calibration_rows(result))
    return csv_download(text, f"calibration-{rubric.id}-{utcnow():%Y-%m-%d}.csv")


def _rubric(rubric_id: str) -> Rubric:
    rubric = rubric_set().rubrics.get(rubric_id)
    if rubric is None:
        known = ", ".join(sorted(rubric_set().rubrics)) or "none is valid"
        abort(404, f"No rubric has the id {rubric_id!r} (available: {known}).")
    return rubric


def _names() -> dict[str, str]:
    """Interviewers' names by email, to show next to the emails calibration reports."""
    return {user.email: user.name for user in candidates.interviewers(session=db_session())}
