"""make audit fails a page below 100 in any Lighthouse category or with any axe violation."""

import urllib.error
import urllib.request

import pytest

from audit.run import CATEGORIES, Page, report, status_as_ok

FULL = dict.fromkeys(CATEGORIES, 100)


def test_a_page_passes_only_with_full_marks_and_no_axe_violation():
    """100 in every category and nothing from axe passes; anything less fails; the last run counts."""
    assert Page("home", "/", False, scores=[FULL], axe={"1280-light": []}).passed
    assert not Page("home", "/", False, scores=[{**FULL, "seo": 99}]).passed
    assert not Page("home", "/", False, scores=[FULL], axe={"375-dark": ["color-contrast"]}).passed
    assert not Page("home", "/", False).passed  # never measured
    assert not Page("home", "/", False, scores=[FULL, {}]).passed  # the last run stopped with an error
    assert Page("home", "/", False, scores=[{**FULL, "performance": 97}, FULL]).passed


def test_the_report_lists_every_run_and_names_failures(monkeypatch):
    """docs/audit.md lists each run's scores and the axe rules that failed, page by page."""
    monkeypatch.setattr("audit.run.versions", lambda: {"chromium": "C", "lighthouse": "12.2.3", "commit": "abc"})
    pages = [
        Page("home", "/", False, scores=[{**FULL, "performance": 98}, FULL], axe={"1280-light": []}),
        Page("journal", "/journal/", True, scores=[FULL], axe={"375-dark": ["color-contrast"]}),
        Page("account", "/accounts/", True, scores=[{}, FULL], axe={"375-dark": []}),
    ]
    text = report(pages, attempts=3)
    assert "| home (`/`) | 98 / 100 | 100 / 100 | 100 / 100 | 100 / 100 | none | pass |" in text
    assert "| journal (`/journal/`) | 100 | 100 | 100 | 100 | color-contrast | FAIL |" in text
    assert "| account (`/accounts/`) | error / 100 | error / 100 | error / 100 | error / 100 | none | pass |" in text


@pytest.mark.django_db(transaction=True)
def test_lighthouse_reaches_an_error_page_answered_as_200_and_nothing_else_changes(live_server):
    """The proxy answers the audited error page with 200 and the page's own body; other addresses keep
    their status."""
    with status_as_ok(live_server.url, "/no-such-page/") as origin:
        with urllib.request.urlopen(origin + "/no-such-page/") as response:
            assert response.status == 200
            assert "This page is not here" in response.read().decode()
        with pytest.raises(urllib.error.HTTPError) as error:
            urllib.request.urlopen(origin + "/robots.txt")
        error.value.close()
        assert error.value.code == 404
