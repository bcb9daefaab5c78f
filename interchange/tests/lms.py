"""A learning system for the SCORM journeys: the package unzipped on a web server of its own, each SCO
in a frame under a page whose window holds scorm-again's runtime (npm, pinned) for the standard."""

import functools
import io
import shutil
import threading
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from django.core.management import call_command
from playwright.sync_api import expect

ROOT = Path(__file__).resolve().parents[2]
SCO = "package/modules/01-what-negotiation-actually-is/index.html"
LMS_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Learning system</title><script src="{script}"></script></head>
<body><iframe id="sco" title="Course module" width="1000" height="900"></iframe></body></html>
"""
# Builds the runtime with the learner's stored data (as an LMS does at launch) and records every call the SCO makes.
LAUNCH = """([runtime, stored, url]) => {
  window.calls = [];
  window.values = {};
  const api = new window[runtime.constructor]({ autocommit: false, logLevel: 5 });
  window[runtime.object] = api;
  if (stored) api.loadFromJSON(stored);
  runtime.methods.forEach((name) => api.on(name, () => window.calls.push(name)));
  api.on(runtime.set + ".cmi.*", (element, value) => {
    window.calls.push(runtime.set + " " + element);
    window.values[element] = value;
  });
  document.getElementById("sco").src = url;
}"""


@dataclass(frozen=True)
class Runtime:
    """A SCORM runtime as the LMS page provides it: scorm-again's script, its class, the window's name for it."""

    standard: str
    script: str
    constructor: str
    object: str
    initialize: str
    set: str
    commit: str
    terminate: str

    def launch_arguments(self) -> dict:
        methods = [self.initialize, self.commit, self.terminate]
        return {"constructor": self.constructor, "object": self.object, "set": self.set, "methods": methods}


SCORM12 = Runtime("1.2", "scorm12.js", "Scorm12API", "API", "LMSInitialize", "LMSSetValue", "LMSCommit", "LMSFinish")
SCORM2004 = Runtime(
    "2004", "scorm2004.js", "Scorm2004API", "API_1484_11", "Initialize", "SetValue", "Commit", "Terminate"
)


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@contextmanager
def serve_package(tmp_path: Path, *, standard: str, runtimes: list[Runtime]) -> Iterator[str]:
    """Export the course in ``standard``, serve it with an LMS page per runtime (``lms/<standard>.html``);
    yield the server's address. The course must be imported."""
    out = tmp_path / "course.zip"
    call_command("export_scorm", str(out), course="sales-blueprint", standard=standard, stdout=io.StringIO())
    site = tmp_path / "site"
    zipfile.ZipFile(out).extractall(site / "package")
    (site / "lms").mkdir()
    for runtime in runtimes:
        shutil.copy(ROOT / "node_modules" / "scorm-again" / "dist" / runtime.script, site / "lms" / runtime.script)
        (site / "lms" / f"{runtime.standard}.html").write_text(LMS_PAGE.format(script=runtime.script))
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def launch(page, lms: str, runtime: Runtime, stored: dict | None = None):
    """Open the LMS page, start the runtime (with the learner's stored data), load Module 1's SCO."""
    page.goto(f"{lms}/lms/{runtime.standard}.html")
    page.evaluate(LAUNCH, [runtime.launch_arguments(), stored, f"{lms}/{SCO}"])
    page.wait_for_function(f"window.calls.includes('{runtime.initialize}')")
    sco = page.frame_locator("#sco")
    expect(sco.get_by_role("heading", level=1)).to_have_text("What Negotiation Actually Is")
    return sco


def values(page) -> dict:
    return page.evaluate("window.values")


def calls(page) -> list[str]:
    return page.evaluate("window.calls")


def close_sco(page, runtime: Runtime) -> None:
    """The learner leaves the module: the LMS unloads the frame."""
    page.evaluate("document.getElementById('sco').src = 'about:blank'")
    page.wait_for_function(f"window.calls.includes('{runtime.terminate}')")
