"""What a learner's browser downloads, fetched over HTTP the way the benchmark's clients see it."""

import gzip
import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit


@dataclass(frozen=True)
class Learner:
    """A signed-in learner, as the wrk scripts use them: a session and a CSRF token."""

    session: str
    csrf: str
    prompt_id: int

    @property
    def cookie(self) -> str:
        return f"sessionid={self.session}; csrftoken={self.csrf}"


def fetch(url: str, *, cookie: str = "", data: bytes | None = None, headers: dict | None = None) -> tuple[int, bytes]:
    request = urllib.request.Request(url, data=data, headers={"Cookie": cookie, **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


class _Assets(HTMLParser):
    """Every URL the page makes the browser fetch: stylesheets, scripts, images, icons, frames."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "link" and attributes.get("href"):
            kind = "css" if "stylesheet" in (attributes.get("rel") or "") else "other"
            self.urls.append((kind, attributes["href"]))
        elif tag == "script" and attributes.get("src"):
            self.urls.append(("js", attributes["src"]))
        elif tag in {"img", "iframe", "source", "audio", "video"} and attributes.get("src"):
            self.urls.append(("other", attributes["src"]))


def page_weight(url: str, html: bytes, cookie: str) -> dict:
    """Bytes of HTML, CSS and JS (as sent, and gzipped), and any request to another host."""
    parser = _Assets()
    parser.feed(html.decode("utf-8"))
    host = urlsplit(url).netloc
    sizes = {"html": len(html), "css": 0, "js": 0}
    gzipped = len(gzip.compress(html))
    third_party = []
    for kind, asset in parser.urls:
        absolute = urljoin(url, asset)
        if urlsplit(absolute).netloc != host:
            third_party.append(absolute)
        elif kind in sizes:
            status, body = fetch(absolute, cookie=cookie)
            assert status == 200, f"{absolute} answered {status}"
            sizes[kind] += len(body)
            gzipped += len(gzip.compress(body))
    return {**sizes, "total": sum(sizes.values()), "gzipped": gzipped, "third_party": third_party}


def save_mode(base: str, learner: Learner) -> str:
    """ "api" if the JSON save endpoint answers a save, else "form" (the plain form post)."""
    body = json.dumps({"text": "probe", "base_revision": 0, "save_id": "bench-probe"}).encode()
    headers = {"Content-Type": "application/json", "X-CSRFToken": learner.csrf}
    status, _ = fetch(f"{base}/api/reflections/{learner.prompt_id}/", cookie=learner.cookie, data=body, headers=headers)
    return "api" if status == 200 else "form"
