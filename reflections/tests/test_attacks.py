"""Attacks on learners' private writing through the lesson page and its plain form; each must fail."""

import json
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from courses.importer import modules_sync
from courses.models import Module
from progress.models import ModuleProgress
from reflections.models import Reflection, ReflectionVersion
from reflections.services import reflection_save
from testing.factories import make_learner

pytestmark = pytest.mark.django_db


XSS_CORPUS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">click</a>',
    "[click](javascript:alert(1))",
    "<svg onload=alert(1)><circle r=1 /></svg>",
    '"><script>alert(1)</script><textarea>',
    "</textarea><script>alert(1)</script>",
    '<iframe src="data:text/html,<script>alert(1)</script>"></iframe>',
]
SECRET = "My client Acme agreed to 40% off; do not tell anyone."


class ActiveContent(HTMLParser):
    """Collects anything in a page that could run script: inline scripts, event-handler
    attributes, javascript:/data: URLs, and elements no page of ours contains."""

    URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data"}
    FORBIDDEN_TAGS = {"svg", "iframe", "object", "embed", "img", "math", "base"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in self.FORBIDDEN_TAGS:
            self.found.append(f"<{tag}>")
        if tag == "script" and attributes.get("type") == "application/json":
            pass  # a data block (json_script, which escapes '<'): browsers never run it
        elif tag == "script":
            self._in_script = True
            if not (attributes.get("src") or "").startswith("/static/"):
                self.found.append(f"script without a static src: {attributes}")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"{tag}[{name}]")
            url = "".join((value or "").split()).lower()
            if name in self.URL_ATTRIBUTES and url.startswith(("javascript:", "data:", "vbscript:")):
                self.found.append(f"{tag}[{name}={value}]")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.found.append(f"inline script: {data[:40]}")


def active_content(html: str) -> list[str]:
    parser = ActiveContent()
    parser.feed(html)
    parser.close()
    return parser.found


def assert_inert(response, payload: str | None = None) -> str:
    """The page runs nothing a learner or author wrote; a payload, if given, shows only escaped."""
    html = response.content.decode()
    assert active_content(html) == []
    if payload is not None:
        assert payload not in html
    return html


@pytest.mark.parametrize("payload", [p for p in XSS_CORPUS if "<" in p])
def test_the_detector_finds_each_payload_left_raw(payload):
    """The checks below are not vacuous: each markup payload, unescaped, is caught."""
    assert active_content(f"<p>{payload}</p>")


@pytest.fixture
def owner(db):
    return make_learner(email="owner@example.com")


@pytest.fixture
def owners_reflection(owner, prompt) -> Reflection:
    return reflection_save(learner=owner, activity=prompt, text=SECRET, base_revision=0).reflection


def submit_url(prompt) -> str:
    return reverse("reflections:submit", args=[prompt.pk])


# Reading someone else's reflection


def test_another_learner_opening_the_module_sees_only_their_own_text(signed_in_client, module_one, owners_reflection):
    """The lesson page shows the signed-in learner's own (empty) box, never another learner's text."""
    response = signed_in_client.get(module_one.get_absolute_url())
    assert response.status_code == 200
    assert "Acme" not in response.content.decode()


def test_an_anonymous_visitor_gets_no_reflection(client, module_one, prompt, owners_reflection):
    """Signed out, the lesson page and the form both send the visitor to sign in and show no text."""
    for response in (client.get(module_one.get_absolute_url()), client.post(submit_url(prompt), {"text": "x"})):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
        assert "Acme" not in response.content.decode()
    assert Reflection.objects.get().text == SECRET


def test_the_module_page_is_never_cached(signed_in_client, module_one):
    """A page with private text tells browsers and proxies not to store it."""
    assert "no-store" in signed_in_client.get(module_one.get_absolute_url())["Cache-Control"]


# Writing someone else's reflection (mass assignment)


def test_the_form_writes_only_the_senders_reflection_whatever_ids_it_names(
    signed_in_client, learner, prompt, owner, owners_reflection
):
    """Owner and id fields in a form post are ignored: the sender's own reflection is written, the owner's kept."""
    response = signed_in_client.post(
        submit_url(prompt),
        {
            "text": "overwritten",
            "base_revision": 0,
            "learner": owner.pk,
            "learner_id": owner.pk,
            "owner": owner.pk,
            "user": owner.pk,
            "id": owners_reflection.pk,
            "pk": owners_reflection.pk,
            "revision": 99,
        },
    )
    assert response.status_code == 302
    owners_reflection.refresh_from_db()
    assert (owners_reflection.text, owners_reflection.revision) == (SECRET, 1)
    assert Reflection.objects.get(learner=learner).text == "overwritten"


def test_a_conflicting_post_shows_the_senders_own_saved_text_only(signed_in_client, learner, prompt, owners_reflection):
    """A stale post's conflict page shows what the sender saved, not another learner's text at that prompt."""
    reflection_save(learner=learner, activity=prompt, text="my own first words", base_revision=0)
    response = signed_in_client.post(submit_url(prompt), {"text": "newer", "base_revision": 0})
    assert response.status_code == 409
    html = response.content.decode()
    assert "my own first words" in html
    assert "Acme" not in html


@pytest.mark.parametrize("prompt_id", [0, 999_999])
def test_posting_to_a_prompt_that_does_not_exist_is_404(signed_in_client, modules, prompt_id):
    """Unknown prompt ids write nothing."""
    response = signed_in_client.post(f"/reflections/{prompt_id}/", {"text": "x", "base_revision": 0})
    assert response.status_code == 404
    assert not Reflection.objects.exists()


# Cross-site requests


def test_the_reflection_form_refuses_a_post_without_a_csrf_token(csrf_client, prompt):
    """A cross-site form posting a reflection gets 403 and nothing is written."""
    response = csrf_client.post(submit_url(prompt), {"text": "planted", "base_revision": 0})
    assert response.status_code == 403
    assert not Reflection.objects.exists()


def test_the_complete_button_refuses_a_post_without_a_csrf_token(csrf_client, module_one):
    """A cross-site post cannot mark a module complete."""
    response = csrf_client.post(module_one.get_absolute_url() + "complete/")
    assert response.status_code == 403
    assert not ModuleProgress.objects.filter(completed_at__isnull=False).exists()


def test_a_wrong_csrf_token_is_refused_too(csrf_client, prompt):
    """A made-up token is no better than none."""
    csrf_client.cookies["csrftoken"] = "a" * 32
    response = csrf_client.post(
        submit_url(prompt), {"text": "planted", "base_revision": 0, "csrfmiddlewaretoken": "b" * 32}
    )
    assert response.status_code == 403
    assert not Reflection.objects.exists()


def test_the_page_with_a_csrf_token_saves(csrf_client, prompt, module_one):
    """The real form, token included, still works (the check above is not refusing everything)."""
    page = csrf_client.get(module_one.get_absolute_url())
    token = str(page.context["csrf_token"])
    response = csrf_client.post(submit_url(prompt), {"text": "mine", "base_revision": 0, "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert Reflection.objects.get().text == "mine"


# Stored XSS in learner text


@pytest.mark.parametrize("payload", XSS_CORPUS)
def test_script_in_a_reflection_is_shown_as_text_on_the_module_page(signed_in_client, learner, prompt, payload):
    """Whatever a learner writes is escaped in the lesson page's box; nothing in it runs."""
    reflection_save(learner=learner, activity=prompt, text=payload, base_revision=0)
    response = signed_in_client.get(prompt.module.get_absolute_url())
    assert_inert(response, payload if "<" in payload else None)
    assert box_on_page(response, prompt).text == payload


@pytest.mark.parametrize("payload", XSS_CORPUS)
def test_script_in_a_reflection_is_inert_on_the_conflict_page(signed_in_client, learner, prompt, payload):
    """The conflict page shows both the saved text and the box's text, both escaped."""
    reflection_save(learner=learner, activity=prompt, text=payload, base_revision=0)
    response = signed_in_client.post(submit_url(prompt), {"text": payload, "base_revision": 0})
    assert response.status_code == 409
    assert_inert(response, payload if "<" in payload else None)


@pytest.mark.parametrize("payload", XSS_CORPUS)
def test_script_in_a_reflection_is_inert_in_the_data_export(signed_in_client, learner, prompt, payload):
    """The data export carries the text exactly, with no raw markup in the file."""
    reflection_save(learner=learner, activity=prompt, text=payload, base_revision=0)
    response = signed_in_client.get(reverse("account_data"))
    assert response["Content-Type"].startswith("application/json")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"<" not in response.content and b">" not in response.content
    data = json.loads(response.content)
    assert data["reflections"][0]["text"] == payload
    assert data["reflections"][0]["versions"][0]["text"] == payload


def test_pages_forbid_inline_script_and_framing(signed_in_client, module_one):
    """The lesson page's Content-Security-Policy allows only our own scripts; framing is refused."""
    response = signed_in_client.get(module_one.get_absolute_url())
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


# Hostile author Markdown

HOSTILE_MODULE = """---
number: 98
slug: hostile
title: Hostile <script>alert('title')</script>
quote: <img src=x onerror=alert('quote')>
---

Raw HTML <script>alert('body')</script> and <img src=x onerror=alert('img')> in the text.

<svg onload=alert('svg')></svg>

<iframe src="https://evil.example/"></iframe>

[a javascript link](javascript:alert('link')) and [a data link](data:text/html;base64,PHNjcmlwdD4=)
and [a spaced one]( JaVaScRiPt:alert('case') ) and <a href="javascript:alert('raw')">a raw one</a>.

## Section <b onmouseover=alert('heading')>bold</b>

[fine](https://example.com/ok)

::: takeaways
- <script>alert('takeaway')</script>
- [x](javascript:alert('takeaway-link'))
:::

::: reflection hostile
Prompt <img src=x onerror=alert('prompt')> [p](javascript:alert('prompt-link'))
:::

::: outcome
<script>alert('outcome')</script> [o](javascript:alert('outcome-link'))
:::
"""


def test_hostile_author_markdown_renders_sanitised(signed_in_client, tmp_path):
    """Raw HTML in a module file shows as text and javascript:/data: links are dropped; nothing runs."""
    path = tmp_path / "98-hostile.md"
    path.write_text(HOSTILE_MODULE, encoding="utf-8")
    result = modules_sync(paths=[path])
    assert result.ok, [str(error) for error in result.errors]
    module = Module.objects.get(number=98)

    response = signed_in_client.get(module.get_absolute_url())

    html = assert_inert(response)
    assert 'href="https://example.com/ok"' in html
    for text in ("a javascript link", "a data link", "a raw one"):
        assert text in html
    assert "alert(‘body’)" in html  # shown, as text (with typographic quotes)


def test_hostile_author_text_in_the_plain_text_format_shows_literally(signed_in_client, tmp_path):
    """A module in the customer's plain-text form shows every character literally, markup included."""
    from testing.factories import module_text

    path = tmp_path / "module-07.txt"
    path.write_text(
        module_text(body="Intro <script>alert(1)</script> and [x](javascript:alert(2)).\nMore text."), encoding="utf-8"
    )
    assert modules_sync(paths=[path]).ok
    response = signed_in_client.get(Module.objects.get(number=7).get_absolute_url())
    html = assert_inert(response, "<script>alert(1)</script>")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


# Fuzzed form bodies

FUZZED_FORMS = {
    "a megabyte of text": {"text": "x" * 1_000_000, "base_revision": 0},
    "one character over the limit": {"text": "x" * 20_001, "base_revision": 0},
    "NUL bytes": {"text": "before\x00after", "base_revision": 0},
    "negative revision": {"text": "x", "base_revision": -1},
    "huge revision": {"text": "x", "base_revision": 2**31},
    "enormous revision": {"text": "x", "base_revision": "9" * 400},
    "non-numeric revision": {"text": "x", "base_revision": "abc"},
    "float revision": {"text": "x", "base_revision": "1.5"},
    "missing revision": {"text": "x"},
    "many fields": {f"f{n}": "x" for n in range(1_200)} | {"text": "x", "base_revision": 0},
}


@pytest.mark.parametrize("body", FUZZED_FORMS.values(), ids=FUZZED_FORMS.keys())
def test_fuzzed_form_bodies_are_refused_and_write_nothing(signed_in_client, prompt, body):
    """Malformed form posts get a 4xx, never a 500, and nothing is written."""
    response = signed_in_client.post(submit_url(prompt), body)
    assert 400 <= response.status_code < 500
    assert not Reflection.objects.exists()
    assert not ReflectionVersion.objects.exists()


@pytest.mark.parametrize(
    "raw",
    [b"text=\xff\xfe\xfd&base_revision=0", b"text=caf\xe9&base_revision=0", b"text=%ff%fe&base_revision=0"],
    ids=["raw invalid bytes", "latin-1 byte", "percent-encoded invalid bytes"],
)
def test_invalid_utf8_form_bodies_are_refused_and_write_nothing(signed_in_client, prompt, raw):
    """A form body that is not valid UTF-8 gets a 4xx and nothing is written."""
    response = signed_in_client.generic(
        "POST", submit_url(prompt), raw, content_type="application/x-www-form-urlencoded"
    )
    assert 400 <= response.status_code < 500
    assert not Reflection.objects.exists()


@pytest.mark.parametrize(
    "raw",
    [b"\xff\xfe\x00\x01", b"--boundary\r\n\xff", b"text=x&base_revision=0&" + b"&" * 10_000],
    ids=["binary", "broken multipart", "ampersands"],
)
@pytest.mark.parametrize(
    "content_type", ["application/x-www-form-urlencoded", "multipart/form-data; boundary=boundary", "text/plain"]
)
def test_garbage_bodies_never_cause_a_server_error(signed_in_client, prompt, raw, content_type):
    """Whatever the bytes and declared type, the answer is not a 500 and no text is planted."""
    response = signed_in_client.generic("POST", submit_url(prompt), raw, content_type=content_type)
    assert response.status_code < 500
    assert not Reflection.objects.exclude(text="x").exists()


def box_on_page(response, activity):
    """The reflection box the module page drew for ``activity``."""
    return response.context["states"][activity.pk]
