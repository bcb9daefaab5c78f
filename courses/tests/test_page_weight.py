"""The module page's weight budget: 30 KB of HTML, CSS and JS as served, uncompressed."""

import re

import pytest

from config.storage import minified
from testing.factories import ROOT

pytestmark = pytest.mark.django_db

BUDGET = 30 * 1024


def served_bytes(html: str) -> dict:
    """Bytes of the page's own stylesheets and scripts, minified as collectstatic serves them."""
    sizes = {"css": 0, "js": 0}
    for path in re.findall(r'<link rel="stylesheet" href="/static/([^"]+)"', html):
        sizes["css"] += len(minified(path, (ROOT / "static" / path).read_text()).encode())
    for path in re.findall(r'<script[^>]* src="/static/([^"]+)"', html):
        sizes["js"] += len(minified(path, (ROOT / "static" / path).read_text()).encode())
    return sizes


def test_module_page_stays_within_its_weight_budget(signed_in_client, module_one):
    """Module 1, signed in: HTML + minified CSS and JS, uncompressed, is at most 30 KB."""
    response = signed_in_client.get(module_one.get_absolute_url())
    html = response.content.decode()
    sizes = served_bytes(html)
    total = len(response.content) + sizes["css"] + sizes["js"]
    assert sizes["css"] and sizes["js"]
    assert total <= BUDGET, f"{total} bytes: HTML {len(response.content)}, CSS {sizes['css']}, JS {sizes['js']}"
