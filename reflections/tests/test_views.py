import json

import pytest

from reflections.limits import REFLECTION_MAX_CHARS
from reflections.models import Reflection, ReflectionVersion
from reflections.services import reflection_save
from testing.factories import make_learner

pytestmark = pytest.mark.django_db


def post_form(client, prompt, text, base_revision=0):
    return client.post(f"/reflections/{prompt.pk}/", {"text": text, "base_revision": base_revision})


def test_form_post_saves_without_javascript_and_it_is_there_on_return(signed_in_client, prompt, module_one):
    """The plain form saves; the module page shows the text when the learner comes back."""
    response = post_form(signed_in_client, prompt, "Written with JavaScript off & <b>kept</b>.")
    assert response.status_code == 302
    assert response["Location"] == module_one.get_absolute_url() + "#reflection"
    page = signed_in_client.get(module_one.get_absolute_url())
    assert "Written with JavaScript off &amp; &lt;b&gt;kept&lt;/b&gt;." in page.content.decode()
    assert "Your reflection is saved" in page.content.decode()


def test_form_post_over_the_limit_explains_and_keeps_the_saved_text(signed_in_client, prompt, learner):
    """Too-long text is refused with a clear message; the text stays in the box; saved text is untouched."""
    post_form(signed_in_client, prompt, "Saved before.")
    response = post_form(signed_in_client, prompt, "z" * (REFLECTION_MAX_CHARS + 5), base_revision=1)
    assert response.status_code == 400
    body = response.content.decode()
    assert "the limit is 20,000" in body
    assert "z" * (REFLECTION_MAX_CHARS + 5) in body
    assert Reflection.objects.get(learner=learner).text == "Saved before."


def test_stale_form_post_shows_both_texts_and_overwrites_nothing(signed_in_client, prompt, learner):
    """A form based on an old revision is refused with 409, showing the saved text and keeping the learner's."""
    post_form(signed_in_client, prompt, "Saved from my phone.")
    response = post_form(signed_in_client, prompt, "Typed on my laptop.", base_revision=0)
    assert response.status_code == 409
    body = response.content.decode()
    assert "Saved from my phone." in body and "Typed on my laptop." in body
    assert 'name="base_revision" value="1"' in body
    assert Reflection.objects.get(learner=learner).text == "Saved from my phone."


def test_anonymous_form_post_redirects_to_sign_in_and_writes_nothing(client, prompt):
    response = post_form(client, prompt, "Anonymous.")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not Reflection.objects.exists()


def test_history_lists_versions_and_restore_makes_a_new_one(signed_in_client, prompt, learner):
    """Earlier versions are listed with times; restoring one makes it current as a new version."""
    reflection_save(learner=learner, activity=prompt, text="First sitting.", base_revision=0)
    ReflectionVersion.objects.update(started_at="2026-01-05T09:00:00Z")
    reflection_save(learner=learner, activity=prompt, text="Second sitting.", base_revision=1)
    page = signed_in_client.get(f"/reflections/{prompt.pk}/history/")
    assert page.status_code == 200
    assert "First sitting." in page.content.decode() and "Second sitting." in page.content.decode()
    old = ReflectionVersion.objects.get(text="First sitting.")
    response = signed_in_client.post(f"/reflections/{prompt.pk}/history/{old.pk}/restore/")
    assert response.status_code == 302
    reflection = Reflection.objects.get(learner=learner)
    assert (reflection.text, reflection.revision) == ("First sitting.", 3)
    assert reflection.versions.count() == 3


def test_another_learners_version_cannot_be_restored_or_seen(client, prompt, learner):
    """Versions are reachable only by their owner: anyone else gets 404 and nothing changes."""
    reflection_save(learner=learner, activity=prompt, text="Private draft.", base_revision=0)
    version = ReflectionVersion.objects.get()
    client.force_login(make_learner())
    assert "Private draft." not in client.get(f"/reflections/{prompt.pk}/history/").content.decode()
    assert client.post(f"/reflections/{prompt.pk}/history/{version.pk}/restore/").status_code == 404
    assert Reflection.objects.get(learner=learner).revision == 1


def test_journal_shows_own_reflections_newest_first(signed_in_client, learner, modules):
    """The journal lists every reflection of the learner with a link back to its module."""
    for module in modules:
        prompt = module.activities.get(kind="reflection", is_active=True)
        reflection_save(learner=learner, activity=prompt, text=f"On module {module.number}.", base_revision=0)
    reflection_save(
        learner=make_learner(),
        activity=modules[0].activities.get(kind="reflection"),
        text="Someone else's.",
        base_revision=0,
    )
    page = signed_in_client.get("/journal/")
    body = page.content.decode()
    assert page["Cache-Control"].startswith("max-age=0")
    assert "On module 1." in body and modules[0].get_absolute_url() in body
    assert "Someone else&#x27;s." not in body and "Someone else's." not in body


def test_journal_downloads_as_markdown_and_json(signed_in_client, learner, prompt):
    """The learner can take their writing with them, verbatim, in both formats."""
    reflection_save(
        learner=learner, activity=prompt, text="Line one.\n\n<script>kept as text</script>", base_revision=0
    )
    markdown = signed_in_client.get("/journal.md")
    assert markdown["Content-Disposition"] == 'attachment; filename="my-reflections.md"'
    assert "## Module 1 · What Negotiation Actually Is" in markdown.content.decode()
    assert "Line one.\n\n\\<script\\>kept as text\\</script\\>" in markdown.content.decode()
    document = json.loads(signed_in_client.get("/journal.json").content)
    assert document["reflections"][0]["text"] == "Line one.\n\n<script>kept as text</script>"
    assert document["reflections"][0]["module"]["number"] == 1
    assert signed_in_client.get("/journal.csv").status_code == 404


def test_journal_requires_sign_in(client):
    assert client.get("/journal/").status_code == 302
    assert client.get("/journal.json").status_code == 302


def test_downloads_escape_learner_text_and_round_trip(signed_in_client, learner, prompt):
    """No live HTML or link in either file, and each still gives back exactly what was typed."""
    typed = "<img src=x onerror=alert(1)> & [click](javascript:alert(1))\n# not a heading\n- not a list"
    reflection_save(learner=learner, activity=prompt, text=typed, base_revision=0)
    raw_json = signed_in_client.get("/journal.json").content.decode()
    assert "<" not in raw_json and "&" not in raw_json
    assert json.loads(raw_json)["reflections"][0]["text"] == typed
    markdown = signed_in_client.get("/journal.md").content.decode()
    from courses.rendering import render_markdown

    html = render_markdown(markdown)
    assert "<img" not in html and "href" not in html
    assert "&lt;img src=x onerror=alert(1)&gt; &amp; [click](javascript:alert(1))" in html
    assert "<h1>not a heading" not in html and "<li>not a list" not in html
