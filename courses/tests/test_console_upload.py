"""The owner uploads module and scenario files in the browser: checked, previewed, then published."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from courses.models import Module
from testing.factories import CONTENT_DIR, SMALL_SCENARIO, make_learner, module_text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def uploads(tmp_path, settings):
    settings.CONTENT_UPLOADS_DIR = tmp_path / "uploads"


@pytest.fixture
def owner_client(client):
    owner = make_learner("owner@example.com")
    owner.is_staff = True
    owner.save()
    client.force_login(owner)
    return client


def upload(client, *files: tuple[str, str]):
    data = {"files": [SimpleUploadedFile(name, text.encode()) for name, text in files]}
    return client.post(reverse("courses:console-content"), data)


def test_upload_preview_and_publish_a_module_with_its_scenario(owner_client):
    module = (CONTENT_DIR / "01-what-negotiation-actually-is.md").read_text()
    response = upload(owner_client, ("01.md", module), ("discount.twee", SMALL_SCENARIO.read_text()))
    assert response.status_code == 302
    preview = owner_client.get(response["Location"])
    body = preview.content.decode()
    assert preview.status_code == 200 and "1 new, 0 changed" in body
    assert not Module.objects.exists()  # nothing is written until published
    page_url = re.search(r'href="([^"]+preview-sales-blueprint-1\.html)"', body).group(1)
    page = owner_client.get(page_url).content.decode()
    assert "What Negotiation Actually Is" in page and "Role-play: The discount request" in page
    # Learners see nothing yet, even right after a preview.
    learner = make_learner()
    owner_client.force_login(learner)
    assert owner_client.get("/courses/sales-blueprint/what-negotiation-actually-is/").status_code == 404
    owner_client.force_login(type(learner).objects.get(email="owner@example.com"))
    publish = re.search(r'action="([^"]+/publish/)"', body).group(1)
    assert owner_client.post(publish).status_code == 302
    module = Module.objects.get(number=1)
    assert module.activities.filter(kind="scenario", is_active=True).exists()


def test_a_broken_file_is_refused_with_its_name_and_line_and_nothing_can_be_published(owner_client):
    broken = module_text(takeaways="Hold on to these\nNo bullets here.")
    response = upload(owner_client, ("07-listening.txt", broken))
    preview = owner_client.get(response["Location"])
    body = preview.content.decode()
    assert preview.status_code == 400
    assert re.search(r"07-listening\.txt:\d+: ", body)
    assert "Publish" not in body and not Module.objects.exists()


@pytest.mark.parametrize(
    ("name", "expected"),
    [("notes.pdf", "expected a module"), ("../../etc/passwd.md", None), ("settings.yaml", "expected a module")],
)
def test_only_module_scenario_and_course_files_are_taken(owner_client, name, expected):
    response = upload(owner_client, (name, "text"))
    if expected is None:  # a path is reduced to its file name: nothing is written outside the staging folder
        assert response.status_code == 302
    else:
        assert response.status_code == 400 and expected in response.content.decode()


def test_unknown_or_forged_uploads_and_preview_names_are_404(owner_client):
    assert owner_client.get(reverse("courses:console-content-preview", args=["x" * 32])).status_code == 404
    assert owner_client.post(reverse("courses:console-content-publish", args=["..var"])).status_code == 404
    response = upload(owner_client, ("01.md", (CONTENT_DIR / "01-what-negotiation-actually-is.md").read_text()))
    token = response["Location"].rstrip("/").split("/")[-1]
    page = reverse("courses:console-content-page", args=[token, "..db.sqlite3"])
    assert owner_client.get(page).status_code == 404


def test_only_staff_reach_the_content_console(client):
    client.force_login(make_learner())
    assert client.get(reverse("courses:console-content")).status_code == 302
    assert upload(client, ("01.md", "x")).status_code == 302
