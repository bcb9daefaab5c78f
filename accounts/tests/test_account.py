import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from progress.services import module_complete, module_open
from reflections.services import reflection_save
from testing.factories import import_modules, make_learner, module_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def modules(modules, tmp_path):
    """The course plus a second module, so an export spans more than one."""
    extra = tmp_path / "module-07.txt"
    extra.write_text(module_text(), encoding="utf-8")
    return import_modules(extra)


def write(learner, module, text: str, *, new_version: bool = False):
    prompt = module.activities.get(kind="reflection", is_active=True)
    current = learner.reflections.filter(activity=prompt).first()
    base = current.revision if current else 0
    return reflection_save(learner=learner, activity=prompt, text=text, base_revision=base, new_version=new_version)


def download(client) -> dict:
    response = client.get(reverse("account_data"))
    assert response.status_code == 200
    return json.loads(response.content)


def test_account_page_shows_the_learner_and_links_to_their_data(signed_in_client, learner):
    """The account page shows the learner's email and links to password change, download and deletion."""
    response = signed_in_client.get(reverse("account"))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    for expected in (learner.email, reverse("password_change"), reverse("account_data"), reverse("account_delete")):
        assert expected in response.content.decode()


def test_account_page_needs_signing_in(client):
    """An anonymous visitor is sent to sign in."""
    response = client.get(reverse("account"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_data_download_is_a_private_json_attachment(signed_in_client):
    """The export is a JSON file to save, never cached."""
    response = signed_in_client.get(reverse("account_data"))
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="sales-blueprint-data-')
    assert "no-store" in response["Cache-Control"]


def test_data_download_holds_profile_reflections_with_every_version_and_progress(signed_in_client, learner, modules):
    """Everything held about the learner is in the export: profile, each reflection with all its versions, progress."""
    learner.display_name = "Ada"
    learner.save()
    first, second = modules[0], modules[1]
    write(learner, first, "Draft one")
    write(learner, first, "Draft two", new_version=True)
    write(learner, second, "Another module")
    module_open(learner=learner, module=first)
    module_complete(learner=learner, module=second)

    data = download(signed_in_client)

    assert data["profile"]["email"] == learner.email
    assert data["profile"]["name"] == "Ada"
    by_module = {item["module"]["number"]: item for item in data["reflections"]}
    assert by_module[first.number]["text"] == "Draft two"
    assert [v["text"] for v in by_module[first.number]["versions"]] == ["Draft one", "Draft two"]
    assert by_module[second.number]["text"] == "Another module"
    assert by_module[first.number]["prompt_id"] == first.activities.get(kind="reflection", is_active=True).key
    progress = {row["module"]["number"]: row["status"] for row in data["progress"]}
    assert progress == {first.number: "in_progress", second.number: "done"}


def test_data_download_lists_the_learners_sign_ins(client, learner, password):
    """Sign-in records kept about the learner (time, address, browser) are part of their data."""
    client.post(reverse("login"), {"username": learner.email, "password": password}, HTTP_USER_AGENT="TestBrowser/1")
    data = download(client)
    assert [(s["ip_address"], s["user_agent"]) for s in data["sign_ins"]] == [("127.0.0.1", "TestBrowser/1")]


def test_data_download_costs_the_same_queries_however_much_was_written(signed_in_client, learner, modules):
    """The export's query count does not grow with the number of reflections, versions or modules."""

    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            download(signed_in_client)
        return len(context)

    write(learner, modules[0], "one")
    module_open(learner=learner, module=modules[0])
    few = queries()
    for module in modules[1:]:
        write(learner, module, "a")
        write(learner, module, "b", new_version=True)
        module_complete(learner=learner, module=module)
    assert len(modules) > 1
    assert queries() == few


def test_data_download_needs_signing_in(client):
    """An anonymous visitor gets no export."""
    response = client.get(reverse("account_data"))
    assert response.status_code == 302


def test_delete_page_states_plainly_that_deletion_is_irreversible(signed_in_client):
    """The delete page asks for the password and says it cannot be undone."""
    response = signed_in_client.get(reverse("account_delete"))
    assert response.status_code == 200
    assert "This cannot be undone." in response.content.decode()
    assert 'name="password"' in response.content.decode()


def test_deleting_the_account_removes_it_signs_out_and_says_so(signed_in_client, learner, password, module_one):
    """With the right password the account goes, the learner is signed out and told so on the home page."""
    write(learner, module_one, "private")
    response = signed_in_client.post(reverse("account_delete"), {"password": password}, follow=True)
    assert response.redirect_chain == [(reverse("courses:home"), 302)]
    assert "Your account and everything in it have been deleted." in response.content.decode()
    assert not response.wsgi_request.user.is_authenticated
    assert not type(learner).objects.filter(pk=learner.pk).exists()


def test_deleting_the_account_needs_the_right_password(signed_in_client, learner):
    """A wrong password deletes nothing and says why."""
    response = signed_in_client.post(reverse("account_delete"), {"password": "not it at all"})
    assert response.status_code == 400
    assert "That is not your password." in response.content.decode()
    assert type(learner).objects.filter(pk=learner.pk).exists()


def test_deleting_one_account_leaves_others_alone(signed_in_client, password, module_one):
    """Another learner's account and writing survive someone else's deletion."""
    other = make_learner()
    write(other, module_one, "theirs")
    signed_in_client.post(reverse("account_delete"), {"password": password})
    assert other.reflections.get().text == "theirs"


def test_signing_up_creates_the_account_and_signs_in(client):
    """A new learner signs up with email and password and is signed in straight away."""
    data = {
        "email": "New@Example.com",
        "display_name": "",
        "password1": "a long passphrase 7",
        "password2": "a long passphrase 7",
    }
    response = client.post(reverse("signup"), data)
    assert response.status_code == 302
    assert client.get(reverse("account")).context["user"].email == "new@example.com"
