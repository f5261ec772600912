"""HTML to PDF with WeasyPrint, safely: the URL fetcher serves the project's own static
assets and refuses every other URL, and each render runs in a bounded pool of worker
processes with a time limit, so no interviewer's text can read a file, reach the network
or tie up the app.
"""

from __future__ import annotations

import mimetypes
import multiprocessing
import os
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pebble
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

STATIC_DIR = Path(__file__).resolve().parent / "static"
BASE_URL = STATIC_DIR.as_uri() + "/"  # relative links in the debrief resolve among the assets
PDF_VARIANT = "pdf/ua-1"  # tagged, so screen readers can read it
TIME_LIMIT = 60.0  # seconds a render may take before its worker is stopped
WORKER_NICENESS = 10  # renders yield the processor to the web workers answering requests


class RenderError(Exception):
    """A render that did not produce a PDF; the message says why, for the person asking."""


class StaticOnlyFetcher(URLFetcher):
    """Serves files inside the project's static folder; refuses every other URL (other
    files, http(s), ftp, data, attachments), which WeasyPrint then leaves out."""

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        path = static_path(url)
        if path is None:
            raise ValueError(f"the debrief only loads the app's own static files, not {url!r}")
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": kind})


def static_path(url: str) -> Path | None:
    """The file a `file:` URL names if it is inside the static folder, else None."""
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        return None
    path = Path(unquote(parts.path)).resolve()  # follows `..` and symbolic links
    if not path.is_relative_to(STATIC_DIR) or not path.is_file():
        return None
    return path


def render_pdf(html: str) -> bytes:
    """The tagged PDF of this HTML, rendered in this process with the safe fetcher."""
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=StaticOnlyFetcher())
    pdf: bytes = document.write_pdf(pdf_variant=PDF_VARIANT)
    return pdf


class Renderer:
    """A bounded pool of rendering processes; each render has a time limit, after which
    its worker is stopped and replaced."""

    def __init__(self, *, workers: int, time_limit: float = TIME_LIMIT) -> None:
        context = multiprocessing.get_context("forkserver")
        # The fork server imports the main program and WeasyPrint once; each worker is a
        # fork of it, so it starts at once instead of importing them again.
        context.set_forkserver_preload(["__main__", __name__])
        self.time_limit = time_limit
        self._pool = pebble.ProcessPool(
            max_workers=workers, initializer=_lower_priority, context=context
        )

    def submit(self, html: str) -> Future[bytes]:
        """Queue a render; the future's `result` is the PDF or raises."""
        return self._pool.submit(render_pdf, self.time_limit, html)

    def result(self, future: Future[bytes]) -> bytes:
        """The PDF of a submitted render, or RenderError saying why there is none."""
        try:
            return future.result()
        except FutureTimeout:
            raise RenderError(
                f"rendering took longer than {self.time_limit:g} seconds and was stopped"
            ) from None
        except pebble.ProcessExpired as error:
            raise RenderError(f"the rendering process stopped ({error})") from None
        except Exception as error:  # WeasyPrint's own failures, reported, never a traceback
            raise RenderError(f"WeasyPrint could not render it: {error}") from None

    def render(self, html: str) -> bytes:
        """Render one document in the pool and wait for it."""
        return self.result(self.submit(html))

    def close(self) -> None:
        """Stop the workers once queued renders are done."""
        self._pool.close()
        self._pool.join()


def _lower_priority() -> None:
    os.nice(WORKER_NICENESS)
