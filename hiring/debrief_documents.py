"""Debrief documents for the web, the API and the CLI: the debrief's HTML from the app's
templates, the PDF from the app's bounded rendering pool, and the deployment's settings
(extra vague or non-job-related words, pool size, time limit)."""

from __future__ import annotations

import atexit
import io
import threading
import zipfile
from collections.abc import Sequence
from typing import Any

from flask import Response, abort, current_app, render_template, request
from sqlmodel import Session
from werkzeug.exceptions import ServiceUnavailable

from hiring.debrief import PAGE_SIZES, Debrief, build_debriefs
from hiring.forms import RECOMMENDATION_LABELS
from hiring.models import Candidate, utcnow
from hiring.pdf import Renderer
from hiring.quality import Language, language
from hiring.web import db_session, file_download, rubric_set

RECOMMENDATIONS = {choice.value: label for choice, label in RECOMMENDATION_LABELS.items()}
CHECK_LABELS = {
    "no_evidence": "No real evidence",
    "halo": "Same rating everywhere",
    "contradiction": "Recommendation contradicts the ratings",
    "vague_language": "Vague language",
    "not_job_related": "Not job-related",
    "late": "Submitted late",
    "amended": "Amended after submission",
    "split": "Split panel",
}


class RendererBusy(Exception):
    """Every rendering slot of this app process is taken; the caller should retry soon."""


def debriefs_of(*, session: Session, candidates: Sequence[Candidate]) -> list[Debrief]:
    """The debriefs of these candidates (those whose rubric is available), now."""
    return build_debriefs(
        session=session,
        candidates=candidates,
        rubrics=rubric_set(),
        now=utcnow(),
        language=deployment_language(),
    )


def document_html(debrief: Debrief, page_size: str = "A4") -> str:
    """The printed debrief's HTML, for WeasyPrint."""
    if page_size not in PAGE_SIZES:
        raise ValueError(f"page size {page_size!r} is not one of {', '.join(PAGE_SIZES)}")
    return render_template("debrief/document.html", page_size=page_size, **context(debrief))


def context(debrief: Debrief) -> dict[str, Any]:
    """What the debrief templates expect besides the page size."""
    return {"debrief": debrief, "recommendations": RECOMMENDATIONS, "checks": CHECK_LABELS}


def deployment_language() -> Language:
    """The built-in vague and non-job-related words plus the deployment's own
    (DEBRIEF_VAGUE_WORDS and DEBRIEF_NOT_JOB_RELATED_WORDS in instance/config.py)."""
    return language(
        vague=current_app.config["DEBRIEF_VAGUE_WORDS"],
        not_job_related=current_app.config["DEBRIEF_NOT_JOB_RELATED_WORDS"],
    )


def render(htmls: Sequence[str]) -> list[bytes | Exception]:
    """The PDFs of these documents from this app process's pool, in order; a document
    that failed gives its RenderError instead. RendererBusy when every slot is taken."""
    pool, slots = rendering_pool()
    if not slots.acquire(blocking=False):
        raise RendererBusy
    try:
        futures = [pool.submit(html) for html in htmls]
        results: list[bytes | Exception] = []
        for future in futures:
            try:
                results.append(pool.result(future))
            except Exception as error:
                results.append(error)
        return results
    finally:
        slots.release()


_lock = threading.Lock()


def rendering_pool() -> tuple[Renderer, threading.BoundedSemaphore]:
    """This app process's rendering pool, started on first use; at most DEBRIEF_QUEUE
    requests wait on it at once."""
    found = current_app.extensions.get("debrief_pool")
    if found is None:
        with _lock:
            found = current_app.extensions.get("debrief_pool")
            if found is None:
                settings = current_app.config
                pool = Renderer(
                    workers=settings["DEBRIEF_WORKERS"], time_limit=settings["DEBRIEF_TIME_LIMIT"]
                )
                atexit.register(pool.close)
                found = (pool, threading.BoundedSemaphore(settings["DEBRIEF_QUEUE"]))
                current_app.extensions["debrief_pool"] = found
    return found


def one_debrief(candidate: Candidate) -> Debrief:
    """The candidate's debrief now; 503 while their rubric is unavailable."""
    found = debriefs_of(session=db_session(), candidates=[candidate])
    if not found:
        abort(503, "This debrief cannot be made while the candidate's rubric is unavailable.")
    return found[0]


def requested_page_size() -> str:
    """The `page_size` of the query string (A4 unless it says Letter); 400 for another."""
    wanted = request.args.get("page_size", "A4")
    for size in PAGE_SIZES:
        if wanted.lower() == size.lower():
            return size
    abort(400, f"page_size must be one of {', '.join(PAGE_SIZES)}, not {wanted!r}.")


def pdf_download(debrief: Debrief, page_size: str) -> Response:
    """The debrief's PDF as a download; 503 with Retry-After when the renderer is busy."""
    [pdf] = _rendered([document_html(debrief, page_size)])
    if isinstance(pdf, Exception):
        current_app.logger.error("debrief of candidate %s: %s", debrief.candidate["id"], pdf)
        abort(500, f"The debrief PDF could not be made: {pdf}.")
    return file_download(pdf, debrief.filename, "application/pdf")


def zip_download(
    debriefs: Sequence[Debrief], page_size: str, filename: str, failed: Sequence[str] = ()
) -> Response:
    """The debriefs' PDFs in one ZIP; those that failed, and the `failed` given, are
    named in a FAILED.txt inside."""
    pdfs = _rendered([document_html(debrief, page_size) for debrief in debriefs])
    buffer = io.BytesIO()
    failed = list(failed)
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for debrief, pdf in zip(debriefs, pdfs, strict=True):
            if isinstance(pdf, Exception):
                failed.append(f"{debrief.candidate['email']}: {pdf}")
            else:
                archive.writestr(debrief.filename, pdf)
        if failed:
            archive.writestr("FAILED.txt", "\n".join(failed) + "\n")
    return file_download(buffer.getvalue(), filename, "application/zip")


def _rendered(htmls: Sequence[str]) -> list[bytes | Exception]:
    try:
        return render(htmls)
    except RendererBusy:
        busy = ServiceUnavailable("Debriefs are being rendered for others: try again shortly.")
        busy.retry_after = 5
        raise busy from None
