"""The page people land on after signing in."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import login_required

from hiring.web import rubric_set

bp = Blueprint("home", __name__)


@bp.get("/")
@login_required
def index() -> str:
    """The signed-in user's start page."""
    return render_template("home/index.html", rubrics=list(rubric_set().rubrics.values()))
