"""Rubric pages: the library, one rubric in full, and a printable interview kit."""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask_login import current_user, login_required

from hiring.auth import role_required
from hiring.models import Role
from hiring.rubric_versions import versions_of
from hiring.rubrics import Rubric
from hiring.web import db_session, rubric_set

bp = Blueprint("rubrics", __name__, url_prefix="/rubrics")


def _rubric(rubric_id: str) -> Rubric:
    rubric = rubric_set().rubrics.get(rubric_id)
    if rubric is None:
        abort(404, f"There is no valid rubric with the id {rubric_id!r}.")
    return rubric


@bp.get("/")
@role_required(Role.RECRUITER, Role.ADMIN)
def index() -> str:
    """Every rubric; admins also see the files that fail validation, with their errors."""
    current = rubric_set()
    return render_template(
        "rubrics/index.html",
        rubrics=list(current.rubrics.values()),
        errors=current.errors,
        show_errors=current_user.role == Role.ADMIN,
    )


@bp.get("/<rubric_id>")
@role_required(Role.RECRUITER, Role.ADMIN)
def detail(rubric_id: str) -> str:
    """One rubric in full: scale, competencies and anchors, anti-patterns, stage profiles."""
    rubric = _rubric(rubric_id)
    return render_template(
        "rubrics/detail.html",
        rubric=rubric,
        versions=versions_of(session=db_session(), rubric_id=rubric.id),
    )


@bp.get("/<rubric_id>/kit")
@login_required
def kit(rubric_id: str) -> str:
    """The interview kit: questions and anchors to take into the room (any signed-in user)."""
    return render_template("rubrics/kit.html", rubric=_rubric(rubric_id))
