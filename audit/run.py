"""`make audit`: Lighthouse and axe on the learner's pages, served as `make run` serves them.

A throwaway server (gunicorn, DEBUG off, collected static files, a fresh SQLite database in a
temporary DATA_DIR holding content/ and one learner who has written and played something) is
audited page by page: Lighthouse's four categories must each score 100 and axe (every rule,
light and dark, 1280 and 375 px) must find nothing. Screenshots of every page at those widths
and schemes go to var/audit/ (not committed); the results go to docs/audit.md.
"""

import argparse
import json
import os
import platform
import secrets
import subprocess
import sys
import tempfile
import threading
import urllib.error
import urllib.request
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from testing.servers import ROOT, free_port, stop, wait_until_up

PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
LIGHTHOUSE = ROOT / "audit" / "node_modules" / "lighthouse" / "cli" / "index.js"
CHROMIUM = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
METRICS = ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time", "cumulative-layout-shift")
WIDTHS = (1280, 375)
SCHEMES = ("light", "dark")


@dataclass
class Page:
    name: str
    path: str
    signed_in: bool
    # Lighthouse refuses to audit a page answered with an error status ("unable to reliably load
    # the page"), so an error page reaches it through a proxy that answers its status as 200.
    error_status: bool = False
    scores: list[dict[str, int]] = field(default_factory=list)
    axe: dict[str, list[str]] = field(default_factory=dict)
    lighthouse_failing: list[str] = field(default_factory=list)  # audits below full marks, last run
    metrics: dict[str, str] = field(default_factory=dict)  # Lighthouse's measured values, last run

    @property
    def passed(self) -> bool:
        last = self.scores[-1] if self.scores else {}
        return all(last.get(name) == 100 for name in CATEGORIES) and not any(self.axe.values())


def pages(urls: dict) -> list[Page]:
    return [
        Page("home", "/", False),
        Page("sign-up", "/accounts/signup/", False),
        Page("sign-in", "/accounts/login/", False),
        Page("module", urls["module"], True),
        Page("scenario", urls["scenario"], True),
        Page("journal", "/journal/", True),
        Page("history", urls["history"], True),
        Page("account", "/accounts/", True),
        Page("error", "/modules/no-such-module/", True, error_status=True),
    ]


def manage(env: dict, *args: str) -> str:
    result = subprocess.run(
        [str(PYTHON), "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    return result.stdout


def prepare(env: dict) -> dict:
    """A fresh database with the content and the audit's learner; collected static files."""
    manage(env, "migrate", "--noinput")
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    manage(env, "import_modules", "content/")
    return json.loads(manage(env, "shell", "-c", "from audit.fixture import prepare; prepare()").splitlines()[-1])


@contextmanager
def server(env: dict, port: int, log: Path):
    env = {**env, "PORT": str(port), "ACCESS_LOG": "", "WEB_CONCURRENCY": "2"}
    args = [str(GUNICORN), "--config", "config/gunicorn.conf.py", "config.wsgi"]
    with log.open("ab") as output:
        process = subprocess.Popen(args, env=env, cwd=ROOT, stdout=output, stderr=output, start_new_session=True)
    try:
        wait_until_up(f"http://127.0.0.1:{port}/", process)
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(process)


class StatusAsOk(BaseHTTPRequestHandler):
    """Passes GET requests to the server and its answers back, the audited page's status turned into 200
    (robots.txt and the rest keep theirs)."""

    upstream = ""
    page_path = ""
    forwarded = ("cookie", "accept", "accept-encoding", "accept-language", "user-agent")

    def do_GET(self) -> None:
        headers = {name: value for name, value in self.headers.items() if name.lower() in self.forwarded}
        try:
            response = urllib.request.urlopen(urllib.request.Request(self.upstream + self.path, headers=headers))
        except urllib.error.HTTPError as error:
            response = error
        with response:
            body = response.read()
        self.send_response(200 if self.path == self.page_path else response.status)
        for name, value in response.headers.items():
            if name.lower() not in ("connection", "content-length", "transfer-encoding", "date", "server"):
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@contextmanager
def status_as_ok(upstream: str, page_path: str):
    handler = type("Handler", (StatusAsOk,), {"upstream": upstream, "page_path": page_path})
    proxy = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=proxy.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{proxy.server_address[1]}"
    finally:
        proxy.shutdown()
        proxy.server_close()


def lighthouse(url: str, page: Page, cookie: dict, work: Path) -> dict[str, int]:
    report = work / f"lighthouse-{page.name}.json"
    args = [
        "node",
        str(LIGHTHOUSE),
        url,
        "--quiet",
        "--output=json",
        f"--output-path={report}",
        f"--only-categories={','.join(CATEGORIES)}",
        "--chrome-flags=--headless=new --no-sandbox",
    ]
    if page.signed_in:
        args.append("--extra-headers=" + json.dumps({"Cookie": f"{cookie['name']}={cookie['value']}"}))
    run = subprocess.run(args, env={**os.environ, "CHROME_PATH": CHROMIUM}, timeout=300, capture_output=True, text=True)
    if run.returncode:  # a Lighthouse runtime error (a lost trace, say) is a failed run: no scores
        print(f"{page.name}: Lighthouse failed: {run.stderr.strip()[-300:]}", file=sys.stderr, flush=True)
        return {}
    result = json.loads(report.read_text())
    failing = [
        audit["id"]
        for audit in result["audits"].values()
        if audit.get("score") is not None
        and audit["score"] < 1
        and audit.get("scoreDisplayMode") in ("binary", "numeric")
    ]
    page.lighthouse_failing = failing
    page.metrics = {name: result["audits"][name].get("displayValue", "") for name in METRICS}
    return {name: round(result["categories"][name]["score"] * 100) for name in CATEGORIES}


def axe_and_screenshots(base: str, all_pages: list[Page], cookie: dict, shots: Path) -> None:
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import sync_playwright

    axe = Axe()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        for width in WIDTHS:
            for scheme in SCHEMES:
                viewport = {"width": width, "height": 900 if width > 600 else 800}
                signed_in = browser.new_context(viewport=viewport, color_scheme=scheme)
                signed_in.add_cookies([{**cookie, "url": base}])
                anonymous = browser.new_context(viewport=viewport, color_scheme=scheme)
                for page in all_pages:
                    tab = (signed_in if page.signed_in else anonymous).new_page()
                    tab.goto(base + page.path)
                    results = axe.run(tab)
                    page.axe[f"{width}-{scheme}"] = [item["id"] for item in results.response["violations"]]
                    tab.screenshot(path=shots / f"{page.name}-{width}-{scheme}.png", full_page=True)
                    tab.close()
                signed_in.close()
                anonymous.close()
        browser.close()


def versions() -> dict[str, str]:
    chromium = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True).stdout.strip()
    lighthouse_version = json.loads((LIGHTHOUSE.parent.parent / "package.json").read_text())["version"]
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout
    return {"chromium": chromium, "lighthouse": lighthouse_version, "commit": commit.strip()}


def report(all_pages: list[Page], attempts: int) -> str:
    info = versions()
    lines = [
        "# Audit",
        "",
        "Written by `make audit` (`audit/run.py`): Lighthouse and axe on the learner's pages, served as",
        "`make run` serves them (gunicorn with two workers, `DEBUG` off, collected static files) from a",
        "throwaway database holding `content/` and one learner who has written a reflection in two",
        "versions and played a scenario. Signed-in pages are audited signed in. Lighthouse runs its default",
        "(mobile, simulated throttling) configuration; a page below 100 is tried again, up to",
        f'{attempts} times, and every run\'s scores are listed ("error": Lighthouse stopped with a runtime error,',
        "such as NO_NAVSTART, a trace it failed to record). axe runs every rule, light and dark, at",
        "1280 and 375 px. Screenshots go to `var/audit/` (not committed).",
        "",
        f"Run of {datetime.now(UTC):%Y-%m-%d %H:%M} UTC at commit {info['commit']}, {info['chromium']}, "
        f"Lighthouse {info['lighthouse']}, {os.cpu_count()} cores ({platform.machine()}), load average "
        f"{os.getloadavg()[0]:.1f} at the end of the run.",
        "",
        "| page | performance | accessibility | best practices | SEO | axe violations | result |",
        "|---|---|---|---|---|---|---|",
    ]
    for page in all_pages:
        runs = [[str(scores.get(name, "error")) for scores in page.scores] for name in CATEGORIES]
        cells = [" / ".join(values) if values else "—" for values in runs]
        violations = sorted({rule for rules in page.axe.values() for rule in rules})
        lines.append(
            f"| {page.name} (`{page.path}`) | {' | '.join(cells)} | {', '.join(violations) or 'none'} | "
            f"{'pass' if page.passed else 'FAIL'} |"
        )
    lines += [
        "",
        "What Lighthouse measured on the last run (simulated mobile: first and largest contentful paint,",
        "total blocking time, cumulative layout shift):",
        "",
        "| page | FCP | LCP | TBT | CLS |",
        "|---|---|---|---|---|",
        *(f"| {page.name} | {' | '.join(page.metrics.get(name, '—') for name in METRICS)} |" for page in all_pages),
        "",
        "Lighthouse refuses to audit a page answered with an error status, so the error page (a 404 for a",
        "signed-in learner) reaches it through a small proxy in `audit/run.py` that answers 200 with the",
        "same headers and body; axe and the screenshots see the real 404.",
        "",
    ]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attempts", type=int, default=3, help="Lighthouse runs per page at most (default 3)")
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "audit.md")
    parser.add_argument("--shots", type=Path, default=ROOT / "var" / "audit")
    options = parser.parse_args()
    options.shots.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="audit-") as tmp:
        work = Path(tmp)
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.local",
            "DATA_DIR": str(work),
            "SECRET_KEY": secrets.token_urlsafe(50),
            "LOG_LEVEL": "ERROR",
        }
        urls = prepare(env)
        all_pages = pages(urls)
        with server(env, free_port(), work / "server.log") as base:
            for page in all_pages:
                while len(page.scores) < options.attempts:
                    with status_as_ok(base, page.path) if page.error_status else nullcontext(base) as origin:
                        page.scores.append(lighthouse(origin + page.path, page, urls["cookie"], work))
                    if page.scores[-1] and all(score == 100 for score in page.scores[-1].values()):
                        break
                print(page.name, page.scores, page.lighthouse_failing, flush=True)
            axe_and_screenshots(base, all_pages, urls["cookie"], options.shots)
    options.output.write_text(report(all_pages, options.attempts))
    failed = [page.name for page in all_pages if not page.passed]
    for page in all_pages:
        print(f"{page.name}: lighthouse {page.scores[-1:]}, axe {sorted({r for v in page.axe.values() for r in v})}")
    verdict = f"FAILED: {', '.join(failed)}" if failed else "passed"
    print(f"audit {verdict}; results in {options.output}, screenshots in {options.shots}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
