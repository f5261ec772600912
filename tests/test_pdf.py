"""Safe rendering: the URL fetcher serves the app's static files and nothing else, even
from raw HTML that asks for more, and a render that runs too long is stopped."""

from __future__ import annotations

import io
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import ClassVar

import pytest
from pypdf import PdfReader

from hiring.pdf import STATIC_DIR, Renderer, RenderError, StaticOnlyFetcher, render_pdf, static_path


def test_the_static_folder_is_served() -> None:
    css = STATIC_DIR / "debrief.css"
    assert static_path(css.as_uri()) == css
    response = StaticOnlyFetcher().fetch(css.as_uri())
    assert response.read() == css.read_bytes()
    assert response.content_type == "text/css"


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        (STATIC_DIR / ".." / "pdf.py").as_uri(),  # `..` out of the folder
        STATIC_DIR.as_uri() + "/%2e%2e/pdf.py",
        STATIC_DIR.as_uri() + "/missing.css",
        STATIC_DIR.as_uri(),  # the folder itself
        "file://attacker.example/share/x.css",
        "http://127.0.0.1/debrief.css",
        "https://example.com/x.png",
        "ftp://example.com/x",
        "data:text/plain,hello",
    ],
)
def test_everything_else_is_refused(url: str) -> None:
    assert static_path(url) is None
    with pytest.raises(ValueError, match="only loads the app's own static files"):
        StaticOnlyFetcher().fetch(url)


def test_a_symbolic_link_out_of_the_folder_is_refused(tmp_path: Path) -> None:
    link = STATIC_DIR / "test-link-out.css"
    (tmp_path / "secret.css").write_text("secret")
    link.symlink_to(tmp_path / "secret.css")
    try:
        assert static_path(link.as_uri()) is None
    finally:
        link.unlink()


class Recorder(BaseHTTPRequestHandler):
    hits: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        Recorder.hits.append(self.path)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def listener() -> Iterator[str]:
    """A local HTTP server that records any request made to it."""
    server = HTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def test_raw_html_reaching_out_loads_nothing_and_attaches_nothing(
    listener: str, caplog: pytest.LogCaptureFixture
) -> None:
    """Even HTML that did not go through Jinja's escaping cannot read or fetch anything."""
    Recorder.hits.clear()
    html = f"""<html lang="en"><head><title>t</title>
      <link rel="stylesheet" href="{listener}/style.css">
      <link rel="attachment" href="file:///etc/passwd">
      <style>@import url("{listener}/import.css");
        body {{ background: url("{listener}/bg.png") }}</style>
      </head><body><p>Hello</p>
      <img src="file:///etc/passwd" alt="x"><img src="{listener}/pixel.png" alt="y">
      <a rel="attachment" href="file:///etc/hostname">file</a>
      <iframe src="file:///etc/passwd"></iframe><object data="{listener}/object"></object>
      </body></html>"""
    reader = PdfReader(io.BytesIO(render_pdf(html)))
    assert Recorder.hits == []
    root = reader.trailer["/Root"]
    assert "/EmbeddedFiles" not in root.get("/Names", {})
    assert not reader.pages[0].images
    assert "root:" not in reader.pages[0].extract_text()
    assert "only loads the app's own static files" in caplog.text


def test_a_render_that_runs_too_long_is_stopped_and_the_pool_recovers() -> None:
    renderer = Renderer(workers=1, time_limit=0.5)
    try:
        rows = "".join(f"<tr><td>{n}</td><td>{'word ' * 40}</td></tr>" for n in range(20000))
        with pytest.raises(RenderError, match=r"took longer than 0\.5 seconds"):
            renderer.render(f"<html><body><table>{rows}</table></body></html>")
        renderer.time_limit = 60
        pdf = renderer.render("<html lang='en'><title>t</title><body><p>Fine</p></body></html>")
        assert "Fine" in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    finally:
        renderer.close()
