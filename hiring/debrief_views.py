"""The debrief on the web: a candidate's HTML preview and PDF, and a ZIP of the PDFs of
the candidates selected in the list."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from hiring.auth import role_required
from hiring.debrief import may_read
from hiring.debrief_documents import (
    context,
    debriefs_of,
    one_debrief,
    pdf_download,
    requested_page_size,
    zip_download,
)
from hiring.models import Candidate, Role, utcnow
from hiring.web import db_session, found_or_404

bp = Blueprint("debriefs", __name__, url_prefix="/candidates")
ZIP_LIMIT = 50  # debriefs per ZIP: enough for a hiring committee, bounded for the renderer


@bp.get("/<int:candidate_id>/debrief")
@login_required
def preview(candidate_id: int) -> str:
    """The debrief as a page, with a link to its PDF."""
    debrief = one_debrief(_readable(candidate_id))
    return render_template("debrief/preview.html", **context(debrief))


@bp.get("/<int:candidate_id>/debrief.pdf")
@login_required
def pdf(candidate_id: int) -> Response:
    """The debrief PDF, A4 or (page_size=Letter) US Letter."""
    page_size = requested_page_size()
    return pdf_download(one_debrief(_readable(candidate_id)), page_size)


@bp.post("/debriefs.zip")
@role_required(Role.RECRUITER, Role.ADMIN)
def zip_of_selected() -> Response:
    """The debrief PDFs of the candidates ticked in the list, in one ZIP."""
    page_size = requested_page_size()
    ids = request.form.getlist("candidate")
    if not ids:
        abort(400, "Tick at least one candidate in the list, then download their debriefs.")
    if not all(value.isdigit() and len(value) < 10 for value in ids) or len(set(ids)) > ZIP_LIMIT:
        abort(400, f"Choose up to {ZIP_LIMIT} candidates from the list at a time.")
    chosen = [found_or_404(Candidate, int(value), "candidate") for value in dict.fromkeys(ids)]
    debriefs = debriefs_of(session=db_session(), candidates=chosen)
    made = {debrief.candidate["id"] for debrief in debriefs}
    unavailable = [
        f"{c.email}: the rubric {c.rubric_id} is unavailable" for c in chosen if c.id not in made
    ]
    filename = f"debriefs-{utcnow():%Y-%m-%d}.zip"
    return zip_download(debriefs, page_size, filename, failed=unavailable)


def _readable(candidate_id: int) -> Candidate:
    """The candidate, if the signed-in person may read their debrief; 403 otherwise."""
    candidate = found_or_404(Candidate, candidate_id, "candidate")
    if not may_read(session=db_session(), user=current_user, candidate=candidate):
        abort(403, "You can read this debrief once you have submitted your own scorecard.")
    return candidate
