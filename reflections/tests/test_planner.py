"""Planners: each field is saved like a reflection (API, plain form, conflicts, versions), shown on its
own page, counted on the module page, gathered in the journal and the exports, and private."""

import json

import pytest
from django.urls import reverse

from accounts.selectors import learner_data
from accounts.services import user_delete
from courses.activities import activities_done
from reflections.models import Reflection, ReflectionVersion
from reflections.services import reflection_save
from testing.factories import make_learner

pytestmark = pytest.mark.django_db
FIELDS = ["counterpart", "positions", "interests", "options", "opening"]


@pytest.fixture
def planner(module_one):
    return module_one.activities.get(kind="planner", is_active=True)


def api(planner, field="counterpart"):
    return f"/api/reflections/{planner.pk}/{field}/"


def save(client, url, text="Dana, head of procurement.", base_revision=0, save_id="a1"):
    body = json.dumps({"text": text, "base_revision": base_revision, "save_id": save_id})
    return client.post(url, body, content_type="application/json")


def fill(learner, planner, fields=FIELDS):
    for field in fields:
        reflection_save(learner=learner, activity=planner, field=field, text=f"About {field}.", base_revision=0)


def test_planner_page_shows_the_intro_and_one_labelled_box_per_field(signed_in_client, planner):
    """The page has the title as its heading, the intro, and an autosaving form per field with its own API."""
    response = signed_in_client.get(reverse("reflections:planner", args=[planner.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Plan your next negotiation</h1>" in body
    assert "Take a negotiation you have coming up" in body
    assert body.count('<form method="post" action="/reflections/') == 5
    for field in FIELDS:
        assert f'data-api="/api/reflections/{planner.pk}/{field}/"' in body
        assert f'data-draft-key="{signed_in_client.session["_auth_user_id"]}:{planner.pk}:{field}"' in body
        assert f'aria-labelledby="{field}-label"' in body
    assert '<h2 id="counterpart-label">Who is across the table, and what do they answer for?</h2>' in body


def test_planner_page_is_404_for_a_reflection_or_nothing(signed_in_client, prompt):
    """Only a planner has a planner page."""
    assert signed_in_client.get(reverse("reflections:planner", args=[prompt.pk])).status_code == 404
    assert signed_in_client.get(reverse("reflections:planner", args=[999_999])).status_code == 404


def test_module_page_shows_a_card_with_how_many_fields_are_written(signed_in_client, module_one, planner, learner):
    """The module page links to the planner and counts the fields that hold writing."""
    fill(learner, planner, FIELDS[:2])
    reflection_save(learner=learner, activity=planner, field="options", text="", base_revision=0)
    body = signed_in_client.get(module_one.get_absolute_url()).content.decode()
    url = reverse("reflections:planner", args=[planner.pk])
    assert f'<p class="plan"><a href="{url}">Plan your next negotiation</a> · 2 of 5 written</p>' in body


def test_api_saves_a_field_apart_from_the_others_and_from_the_reflection(signed_in_client, planner, prompt, learner):
    """Each field is its own record with its own revisions; the module's reflection is untouched."""
    assert save(signed_in_client, api(planner, "counterpart"), "Dana.").json()["revision"] == 1
    assert save(signed_in_client, api(planner, "opening"), "Let us find a structure.").json()["revision"] == 1
    assert save(signed_in_client, api(planner, "counterpart"), "Dana, CFO.", 1, "a2").json()["revision"] == 2
    saved = dict(Reflection.objects.filter(learner=learner).values_list("field", "text"))
    assert saved == {"counterpart": "Dana, CFO.", "opening": "Let us find a structure."}
    assert signed_in_client.get(api(planner, "counterpart")).json()["text"] == "Dana, CFO."
    assert signed_in_client.get(f"/api/reflections/{prompt.pk}/").json()["text"] == ""


def test_a_stale_save_of_a_field_is_a_conflict_and_a_retry_a_no_op(signed_in_client, planner, learner):
    """The reflection's guarantees per field: 409 with the current text, and a repeated save id changes nothing."""
    save(signed_in_client, api(planner), "Newer.", save_id="one")
    stale = save(signed_in_client, api(planner), "Older tab.", save_id="two")
    assert (stale.status_code, stale.json()["text"], stale.json()["revision"]) == (409, "Newer.", 1)
    again = save(signed_in_client, api(planner), "Newer.", save_id="one")
    assert again.json()["repeated"] is True
    reflection = Reflection.objects.get(learner=learner, field="counterpart")
    assert (reflection.text, reflection.revision, reflection.versions.count()) == ("Newer.", 1, 1)


@pytest.mark.parametrize("field", ["nope", "history-x", "Counterpart"])
def test_a_field_the_planner_does_not_declare_is_404(signed_in_client, planner, field, learner):
    """Saving or reading a field the module file does not declare finds nothing and writes nothing."""
    assert save(signed_in_client, api(planner, field)).status_code == 404
    assert signed_in_client.get(api(planner, field)).status_code == 404
    assert (
        signed_in_client.post(f"/reflections/{planner.pk}/{field}/", {"text": "x", "base_revision": 0}).status_code
        == 404
    )
    assert not Reflection.objects.filter(learner=learner).exists()


def test_a_reflection_cannot_be_saved_as_a_planner_field_nor_a_planner_without_one(signed_in_client, planner, prompt):
    """The field addresses are a planner's; the plain addresses a reflection's."""
    assert save(signed_in_client, api(prompt, "counterpart")).status_code == 404
    assert save(signed_in_client, f"/api/reflections/{planner.pk}/").status_code == 404
    assert signed_in_client.post(f"/reflections/{planner.pk}/", {"text": "x", "base_revision": 0}).status_code == 404


def test_form_post_saves_a_field_without_javascript(signed_in_client, planner, learner):
    """The plain form post saves the field and returns to it on the planner page."""
    response = signed_in_client.post(f"/reflections/{planner.pk}/positions/", {"text": "20% off.", "base_revision": 0})
    assert response.status_code == 302
    assert response["Location"] == reverse("reflections:planner", args=[planner.pk]) + "#positions"
    assert Reflection.objects.get(learner=learner, field="positions").text == "20% off."
    page = signed_in_client.get(response["Location"]).content.decode()
    assert "Your answer is saved" in page and "20% off.</textarea>" in page


def test_stale_form_post_of_a_field_shows_both_texts_on_the_planner_page(signed_in_client, planner, learner):
    """A conflicting plain post overwrites nothing: the planner page shows the saved text and keeps the new one."""
    reflection_save(learner=learner, activity=planner, field="options", text="Phased <start>.", base_revision=0)
    response = signed_in_client.post(f"/reflections/{planner.pk}/options/", {"text": "Mine.", "base_revision": 0})
    body = response.content.decode()
    assert response.status_code == 409
    assert "This answer was changed somewhere else" in body
    assert "Phased &lt;start&gt;." in body and "Mine.</textarea>" in body
    assert Reflection.objects.get(learner=learner, field="options").text == "Phased <start>."


def test_too_long_form_post_of_a_field_keeps_the_text_in_its_box(signed_in_client, planner, learner):
    """Over the limit, the planner page explains and the text stays in that field's box."""
    text = "x" * 20_001
    response = signed_in_client.post(f"/reflections/{planner.pk}/opening/", {"text": text, "base_revision": 0})
    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="opening-error"' in body and f"{text}</textarea>" in body
    assert not Reflection.objects.filter(learner=learner).exists()


def test_history_and_restore_of_a_field(signed_in_client, planner, learner):
    """A field's versions are listed under its label; restoring one makes a new version of that field only."""
    first = reflection_save(learner=learner, activity=planner, field="interests", text="Budget.", base_revision=0)
    reflection_save(
        learner=learner, activity=planner, field="interests", text="Boss.", base_revision=1, new_version=True
    )
    page = signed_in_client.get(f"/reflections/{planner.pk}/interests/history/").content.decode()
    assert "What interests might be behind those positions?" in page and "Budget." in page and "Boss." in page
    version = first.reflection.versions.order_by("started_at", "pk").first()
    response = signed_in_client.post(f"/reflections/{planner.pk}/interests/history/{version.pk}/restore/")
    assert response["Location"].endswith(f"/planners/{planner.pk}/#interests")
    reflection = Reflection.objects.get(learner=learner, field="interests")
    assert (reflection.text, reflection.versions.count()) == ("Budget.", 3)


def test_a_version_of_one_field_cannot_be_restored_into_another(signed_in_client, planner, learner):
    """A version is found only under its own field."""
    saved = reflection_save(learner=learner, activity=planner, field="interests", text="Budget.", base_revision=0)
    version = saved.reflection.versions.get()
    assert signed_in_client.post(f"/reflections/{planner.pk}/opening/history/{version.pk}/restore/").status_code == 404
    assert signed_in_client.post(f"/reflections/{planner.pk}/history/{version.pk}/restore/").status_code == 404


def test_another_learner_cannot_read_or_write_a_field(client, planner, learner):
    """Someone else's answer is not visible anywhere to another learner, and their saves go to their own record."""
    saved = reflection_save(learner=learner, activity=planner, field="opening", text="SECRET opening.", base_revision=0)
    version = saved.reflection.versions.get()
    client.force_login(make_learner())
    assert client.get(api(planner, "opening")).json()["text"] == ""
    assert "SECRET" not in client.get(reverse("reflections:planner", args=[planner.pk])).content.decode()
    assert "SECRET" not in client.get(f"/reflections/{planner.pk}/opening/history/").content.decode()
    assert client.post(f"/reflections/{planner.pk}/opening/history/{version.pk}/restore/").status_code == 404
    assert "SECRET" not in client.get("/journal/").content.decode()
    assert save(client, api(planner, "opening"), "Mine.").status_code == 200
    assert Reflection.objects.get(learner=learner, field="opening").text == "SECRET opening."


def test_signed_out_api_is_401_and_pages_ask_to_sign_in(client, planner):
    """Without a session nothing is read or written."""
    assert save(client, api(planner)).status_code == 401
    assert client.get(reverse("reflections:planner", args=[planner.pk])).status_code == 302
    assert not Reflection.objects.exists()


def test_learner_text_is_escaped_on_the_planner_page(signed_in_client, planner, learner):
    """What a learner typed shows as text, never as markup."""
    text = "</textarea><script>alert(1)</script>"
    reflection_save(learner=learner, activity=planner, field="opening", text=text, base_revision=0)
    body = signed_in_client.get(reverse("reflections:planner", args=[planner.pk])).content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;/textarea&gt;&lt;script&gt;alert(1)&lt;/script&gt;</textarea>" in body


def test_a_planner_is_done_when_every_field_holds_writing(planner, learner):
    """Four of five fields, or a blank one, is not done; all five is."""
    fill(learner, planner, FIELDS[:4])
    reflection_save(learner=learner, activity=planner, field="opening", text="", base_revision=0)
    assert activities_done(learner=learner, activities=[planner]) == set()
    reflection_save(learner=learner, activity=planner, field="opening", text="Open.", base_revision=1)
    assert activities_done(learner=learner, activities=[planner]) == {planner.pk}
    assert activities_done(learner=make_learner(), activities=[planner]) == set()


def test_journal_shows_the_planner_fields_in_their_order(signed_in_client, planner, prompt, learner):
    """Under the module: the reflection, then the planner's title and each answered field under its label."""
    reflection_save(learner=learner, activity=prompt, text="My reflection.", base_revision=0)
    fill(learner, planner, reversed(FIELDS))
    body = signed_in_client.get("/journal/").content.decode()
    assert '<h3 class="journal-planner">Plan your next negotiation</h3>' in body
    places = [body.index(f"About {field}.") for field in FIELDS]
    assert body.index("My reflection.") < places[0] and places == sorted(places)
    assert "Which options beyond price could serve those interests" in body
    assert f'href="/planners/{planner.pk}/#opening"' in body


def test_downloads_and_data_export_hold_planner_answers_with_ids_labels_and_versions(
    signed_in_client, planner, learner
):
    """Markdown and JSON journals and "Download my data" name each field by id and label; the export has
    every version."""
    fill(learner, planner, ["counterpart", "opening"])
    reflection_save(
        learner=learner, activity=planner, field="opening", text="v2 <b>", base_revision=1, new_version=True
    )
    document = json.loads(signed_in_client.get("/journal.json").content)
    opening = next(entry for entry in document["reflections"] if entry.get("field") == "opening")
    assert opening | {"created_at": None, "updated_at": None, "revision": None} == opening | {
        "kind": "planner",
        "prompt_id": "next-negotiation",
        "field": "opening",
        "field_label": "Your opening line: the collaborative sentence that sets the tone from the first exchange.",
        "text": "v2 <b>",
        "created_at": None, "updated_at": None, "revision": None,
    }  # fmt: skip
    markdown = signed_in_client.get("/journal.md").content.decode()
    assert "**Plan your next negotiation** · Your opening line" in markdown and "(`opening`)" in markdown
    exported = learner_data(learner=learner)["reflections"]
    entry = next(entry for entry in exported if entry.get("field") == "opening")
    assert [version["text"] for version in entry["versions"]] == ["About opening.", "v2 <b>"]


def test_deleting_the_account_deletes_planner_answers(learner, planner):
    """Account deletion removes the answers and their versions with the rest of the learner's writing."""
    fill(learner, planner)
    user_delete(user=learner)
    assert not Reflection.objects.exists() and not ReflectionVersion.objects.exists()
