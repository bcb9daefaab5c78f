"""Several courses: each from its own folder, listed on the home page, with its own progress."""

from pathlib import Path

import pytest

from courses.formats import ModuleFormatError
from courses.formats.course import parse_course
from courses.importer import modules_sync
from courses.models import Course, Module
from testing.factories import CONTENT_DIR, import_modules, make_learner, module_text

pytestmark = pytest.mark.django_db


def second_course(root: Path) -> Path:
    """A course of its own whose module shares Module 1's number."""
    folder = root / "discovery"
    folder.mkdir(parents=True)
    (folder / "course.yaml").write_text(
        "slug: discovery-calls\ntitle: Discovery Calls\ndescription: Ask before you pitch.\n"
        "audience: New account executives.\nposition: 2\n",
        encoding="utf-8",
    )
    (folder / "01-questions.txt").write_text(
        module_text(header="Module 1 · ~6 min", title="Questions · That Open Up"), encoding="utf-8"
    )
    return folder


def test_a_second_course_imports_from_its_own_folder(tmp_path):
    """Its modules may share numbers with the first course's; each module belongs to its folder's course."""
    import_modules(CONTENT_DIR, second_course(tmp_path))
    first, second = Course.objects.all()
    assert (first.slug, second.slug) == ("sales-blueprint", "discovery-calls")
    assert (second.title, second.description, second.audience) == (
        "Discovery Calls",
        "Ask before you pitch.",
        "New account executives.",
    )
    assert list(Module.objects.filter(number=1).values_list("course__slug", "slug").order_by("course")) == [
        ("sales-blueprint", "what-negotiation-actually-is"),
        ("discovery-calls", "questions"),
    ]
    assert modules_sync(paths=[CONTENT_DIR, tmp_path]).unchanged == [1, 1]


def test_home_lists_both_courses_and_each_has_its_page(tmp_path, client):
    import_modules(CONTENT_DIR, second_course(tmp_path))
    home = client.get("/").content.decode()
    assert home.index("The Sales Blueprint System") < home.index("Discovery Calls")  # by position
    assert home.count("1 module") == 2
    assert 'href="/courses/discovery-calls/"' in home
    page = client.get("/courses/discovery-calls/").content.decode()
    assert ">Who it is for</h2>" in page and "New account executives." in page
    assert "/courses/discovery-calls/questions/" in page and "What Negotiation Actually Is" not in page


def test_one_course_installed_makes_it_the_home_page(client, modules):
    """As before there were several: the home page is the course."""
    page = client.get("/").content.decode()
    assert "<h1>The Sales Blueprint System</h1>" in page
    client.force_login(make_learner())
    lesson = client.get(modules[0].get_absolute_url()).content.decode()
    assert "Reflection · write it down" in lesson and "Reflection 1 of" not in lesson  # one prompt: no count
    assert modules[0].get_absolute_url() in page


def test_each_courses_progress_is_separate(tmp_path, client):
    """Completing Module 1 of one course leaves the other course's Module 1 not started."""
    import_modules(CONTENT_DIR, second_course(tmp_path))
    learner = make_learner()
    client.force_login(learner)
    sales, discovery = (Module.objects.get(course__slug=slug) for slug in ("sales-blueprint", "discovery-calls"))
    client.get(sales.get_absolute_url())
    assert client.post(sales.get_absolute_url() + "complete/").status_code == 302
    assert "1 of 1 module done" in client.get("/courses/sales-blueprint/").content.decode()
    other = client.get("/courses/discovery-calls/").content.decode()
    assert "0 of 1 module done" in other and "Start with Module 1" in other


def test_old_module_urls_redirect_to_the_first_course(client, modules, learner):
    """/modules/SLUG/ moved for good; a page left open posts "complete" through a 308 that keeps the POST."""
    module = modules[0]
    response = client.get("/modules/what-negotiation-actually-is/")
    assert (response.status_code, response["Location"]) == (301, module.get_absolute_url())
    client.force_login(learner)
    response = client.post("/modules/what-negotiation-actually-is/complete/")
    assert (response.status_code, response["Location"]) == (308, module.get_absolute_url() + "complete/")
    assert client.get("/modules/no-such-module/").status_code == 404


@pytest.mark.parametrize(
    ("text", "line", "expected"),
    [
        ("slug: Bad Slug\ntitle: X\n", 1, "slug"),
        ("slug: ok\n", 1, "title"),
        ("slug: ok\ntitle: X\nposition: -1\n", 3, "position"),
        ("slug: ok\ntitle: X\nteacher: Y\n", 3, "unknown course key"),
        ("slug: ok\ntitle: [unclosed\n", 3, "valid YAML"),
    ],
)
def test_a_malformed_course_file_names_the_line(text, line, expected):
    with pytest.raises(ModuleFormatError) as error:
        parse_course(text)
    assert error.value.line == line and expected in error.value.message


def test_a_malformed_course_file_imports_nothing(tmp_path):
    folder = second_course(tmp_path)
    (folder / "course.yaml").write_text("slug: discovery-calls\n", encoding="utf-8")
    result = modules_sync(paths=[CONTENT_DIR, tmp_path])
    assert [str(error) for error in result.errors] == [
        f"{folder / 'course.yaml'}:1: expected 'title:' with the course's title, at most 200 characters"
    ]
    assert not Course.objects.exists() and not Module.objects.exists()


def test_course_pages_read_the_content_from_the_cache(tmp_path, client, django_assert_num_queries):
    """Once warm, the course list costs the session and user; a course page adds the learner's progress
    and, for the revisits panel, their reflections and recall cards due."""
    import_modules(CONTENT_DIR, second_course(tmp_path))
    client.force_login(make_learner())
    client.get("/"), client.get("/courses/discovery-calls/")
    with django_assert_num_queries(2):
        client.get("/")
    with django_assert_num_queries(5):
        client.get("/courses/discovery-calls/")
