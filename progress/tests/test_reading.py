"""Reading time and place: the beacon the module page sends, its bounds, the opt-out, and who sees what."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from progress.models import ModuleProgress
from progress.selectors import reading_medians
from progress.services import module_complete, reading_record
from progress.views import READING_BEACONS_PER_MINUTE
from testing.factories import make_learner

pytestmark = pytest.mark.django_db

SECTION = "section-the-combat-model-and-why-it-fails"


def beacon_url(module) -> str:
    return reverse("progress:reading", args=[module.course.slug, module.slug])


def page_token(client, module) -> str:
    """The CSRF token the module page carries, as its script reads it."""
    html = client.get(module.get_absolute_url()).content.decode()
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def send(client, module, **data):
    """Post a beacon as the page does (form-encoded, the page's CSRF token in the body)."""
    return client.post(beacon_url(module), {"csrfmiddlewaretoken": page_token(client, module), **data})


def row_of(learner, module) -> ModuleProgress:
    return ModuleProgress.objects.get(learner=learner, module=module)


def test_beacons_add_active_seconds_and_keep_the_place(csrf_client, learner, module_one):
    """Two beacons add up; the place is the last one sent, and the pages lead back to it."""
    assert send(csrf_client, module_one, seconds="30", section=SECTION).status_code == 204
    response = send(csrf_client, module_one, seconds="12", section="reflection", box="reflection-text")
    assert response.status_code == 204
    row = row_of(learner, module_one)
    assert (row.reading_seconds, row.resume_section, row.resume_box) == (42, "reflection", "reflection-text")
    page = csrf_client.get(module_one.get_absolute_url()).content.decode()
    assert 'data-section="reflection" data-box="reflection-text"' in page and "data-measure" in page
    home = csrf_client.get(module_one.course.get_absolute_url()).content.decode()
    assert f'href="{module_one.get_absolute_url()}#reflection">Continue with Module 1' in home


def test_a_beacon_at_the_top_of_the_page_clears_the_place(csrf_client, learner, module_one):
    send(csrf_client, module_one, section=SECTION)
    assert send(csrf_client, module_one).status_code == 204
    row = row_of(learner, module_one)
    assert (row.reading_seconds, row.resume_section, row.resume_box) == (0, "", "")
    home = csrf_client.get(module_one.course.get_absolute_url()).content.decode()
    assert f'href="{module_one.get_absolute_url()}">Continue with Module 1' in home


@pytest.mark.parametrize(
    "data",
    [
        {"seconds": "121"},
        {"seconds": "-1"},
        {"seconds": "1.5"},
        {"seconds": "ten"},
        {"seconds": "١٢"},  # digits, but not ASCII ones
        {"seconds": "9" * 5000},
        {"seconds": ""},
        {"section": "<script>"},
        {"section": "a b"},
        {"section": "x" * 201},
        {"box": "reflection-text\"'"},
        {"box": "é"},
    ],
)
def test_absurd_values_are_refused_with_400_and_change_nothing(csrf_client, learner, module_one, data):
    send(csrf_client, module_one, seconds="5", section=SECTION)
    response = send(csrf_client, module_one, **data)
    assert response.status_code == 400
    assert response.content.decode().startswith(("seconds:", "section:", "box:"))
    row = row_of(learner, module_one)
    assert (row.reading_seconds, row.resume_section, row.resume_box) == (5, SECTION, "")


def test_a_beacon_without_the_csrf_token_is_refused(csrf_client, learner, module_one):
    csrf_client.get(module_one.get_absolute_url())
    response = csrf_client.post(beacon_url(module_one), {"seconds": "30", "section": SECTION})
    assert response.status_code == 403
    assert row_of(learner, module_one).reading_seconds == 0


def test_signed_out_is_401_and_an_unknown_module_404(signed_in_client, module_one):
    assert Client().post(beacon_url(module_one), {"seconds": "30"}).status_code == 401
    assert ModuleProgress.objects.count() == 0
    missing = reverse("progress:reading", args=[module_one.course.slug, "no-such-module"])
    assert signed_in_client.post(missing, {"seconds": "30"}).status_code == 404
    assert signed_in_client.get(beacon_url(module_one)).status_code == 405


def test_beacons_are_rate_limited_per_learner(signed_in_client, learner, module_one):
    for _ in range(READING_BEACONS_PER_MINUTE):
        assert signed_in_client.post(beacon_url(module_one), {"seconds": "1"}).status_code == 204
    refused = signed_in_client.post(beacon_url(module_one), {"seconds": "1"})
    assert refused.status_code == 429 and refused["Retry-After"] == "60"
    assert row_of(learner, module_one).reading_seconds == READING_BEACONS_PER_MINUTE


def test_a_learner_who_turned_counting_off_has_no_seconds_counted(csrf_client, learner, module_one):
    """The account page says what is counted and turns it off; the page then counts nothing, and a
    beacon from a page opened before (with seconds) counts none either. The place is still kept."""
    account = csrf_client.get(reverse("account")).content.decode()
    assert "Count my reading time" in account and "we count the seconds" in account
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', account).group(1)
    response = csrf_client.post(reverse("account_reading_time"), {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert User.objects.get(pk=learner.pk).measure_reading_time is False
    assert "data-measure" not in csrf_client.get(module_one.get_absolute_url()).content.decode()
    assert send(csrf_client, module_one, seconds="30", section=SECTION).status_code == 204
    row = row_of(learner, module_one)
    assert (row.reading_seconds, row.resume_section) == (0, SECTION)
    csrf_client.post(reverse("account_reading_time"), {"csrfmiddlewaretoken": token, "measure": "on"})
    assert User.objects.get(pk=learner.pk).measure_reading_time is True


def test_one_learner_reaches_nothing_of_anothers_place_or_time(learner, module_one):
    """B's beacons write B's row only; A's pages show A's place, never B's."""
    a, b = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    other = make_learner()
    a.force_login(learner)
    b.force_login(other)
    send(a, module_one, seconds="20", section=SECTION)
    send(b, module_one, seconds="90", section="reflection", box="reflection-text")
    assert (row_of(learner, module_one).reading_seconds, row_of(other, module_one).reading_seconds) == (20, 90)
    page = a.get(module_one.get_absolute_url()).content.decode()
    assert f'data-section="{SECTION}"' in page and "reflection-text" not in page.split("data-reading")[1][:300]
    assert f"#{SECTION}" in a.get(module_one.course.get_absolute_url()).content.decode()
    export = a.get(reverse("account_data")).json()["progress"]
    assert [(p["reading_seconds"], p["reading_at"]) for p in export] == [(20, SECTION)]


def finished(module, seconds: int, *, measure: bool = True) -> User:
    learner = make_learner()
    User.objects.filter(pk=learner.pk).update(measure_reading_time=measure)
    reading_record(learner=learner, module=module, seconds=seconds, section="", box="")
    module_complete(learner=learner, module=module)
    return learner


def test_the_owner_sees_the_declared_estimate_beside_the_median_actual(client, module_one):
    """Median over learners who finished with time counted and counting on; none below three learners."""
    owner = make_learner("owner@example.com")
    User.objects.filter(pk=owner.pk).update(is_staff=True)
    client.force_login(owner)
    finished(module_one, 600)
    finished(module_one, 1200)
    reading_record(learner=make_learner(), module=module_one, seconds=9000, section="", box="")  # not finished
    finished(module_one, 9000, measure=False)  # turned counting off
    page = client.get(reverse("cohorts:console")).content.decode()
    assert "~13 min <small>declared</small>" in page and "Not enough finished learners yet" in page
    finished(module_one, 1500)
    page = client.get(reverse("cohorts:console")).content.decode()
    assert "~20 min <small>3 learners</small>" in page  # median of 10, 20 and 25 minutes
    assert reading_medians(viewer=User.objects.get(pk=owner.pk), modules=[module_one])[module_one.pk].learners == 3


def test_no_one_but_the_owner_gets_the_medians(signed_in_client, learner, module_one):
    for seconds in (600, 700, 800):
        finished(module_one, seconds)
    assert reading_medians(viewer=learner, modules=[module_one]) == {}
    assert signed_in_client.get(reverse("cohorts:console")).status_code == 302
