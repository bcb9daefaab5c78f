import pytest

from courses.selectors import course_outline, lesson_for_slug
from progress.models import ModuleProgress
from reflections.services import reflection_save
from testing.factories import TEST_DATA, import_modules

pytestmark = pytest.mark.django_db


def test_home_lists_modules_for_anyone_with_sign_up_link(client, modules):
    """Anyone sees every module in order with number, minutes, title, subtitle and outcome."""
    body = client.get("/").content.decode()
    assert "Module 1 · ~13 min" in body
    assert "What Negotiation Actually Is" in body and "Mutual Value Creation" in body
    assert "mutual value-creation process" in body
    assert 'href="/accounts/signup/"' in body


def test_sign_in_page_links_to_sign_up(client):
    assert 'href="/accounts/signup/"' in client.get("/accounts/login/").content.decode()


def test_module_page_requires_sign_in(client, module_one):
    response = client.get(module_one.get_absolute_url())
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={module_one.get_absolute_url()}"


def test_module_page_shows_every_part_in_semantic_html(signed_in_client, module_one):
    """Header, blockquote, section headings, a takeaways region with a list, a labelled form, the outcome."""
    response = signed_in_client.get(module_one.get_absolute_url())
    body = response.content.decode()
    assert response["Cache-Control"] == "no-store"
    assert "Module 1 of 1 · ~13 min" in body
    assert '<h1 id="lesson-title">What Negotiation Actually Is</h1>' in body
    assert '<blockquote class="pull-quote"><p>“Negotiation is not a battle.' in body
    for heading in ("The combat model and why it fails", "The mutual-value creation model"):
        assert f">{heading}</h2>" in body
    assert body.count('<h2 id="section-') == 3
    takeaways = body.split('aria-labelledby="takeaways-title"')[1].split("</section>")[0]
    assert takeaways.count("<li>") == 3
    assert 'aria-labelledby="reflection-prompt"' in body and 'id="reflection-prompt"' in body
    assert "What you walk away with" in body
    prompt = body.split('id="reflection-prompt">')[1].split("</div>")[0]
    assert "Saves automatically" not in prompt  # the seed's promise is the page's, under the box, not the prompt's


def test_module_page_costs_a_fixed_number_of_queries(signed_in_client, module_one, learner, django_assert_num_queries):
    """The page's queries do not grow with the course or the learner's history."""
    reflection_save(
        learner=learner, activity=module_one.activities.get(kind="reflection"), text="Hello.", base_revision=0
    )
    signed_in_client.get(module_one.get_absolute_url())
    # session, user, the course's progress (it holds the module's; a reload within 30 s writes nothing),
    # the learner's answers with the feedback on them (the reflection and the planner card's fields at
    # once), whether the learner has a coach to share with (asked because a box holds writing), the
    # scenario's run counts. The lesson and the content version are cached.
    with django_assert_num_queries(6):
        signed_in_client.get(module_one.get_absolute_url())


def test_a_first_visit_costs_the_floor_and_three_reads(signed_in_client, module_one, django_assert_num_queries):
    """A learner who has written nothing here: session, user, then one read each for their progress, their
    answers and their scenario runs (and the visit's one write, in a transaction with its learning event:
    inside the test's transaction a savepoint and its release). No feedback to fetch, and no box offers
    sharing, so the page does not ask whether they have a coach."""
    lesson = lesson_for_slug(course=module_one.course.slug, slug=module_one.slug)  # the content, cached
    course_outline(course=lesson.course)
    with django_assert_num_queries(8) as queries:
        body = signed_in_client.get(module_one.get_absolute_url()).content.decode()
    assert sum(query["sql"].startswith("INSERT") for query in queries.captured_queries) == 1
    assert "<textarea" in body and "Share with your coach" not in body
    with django_assert_num_queries(5):
        signed_in_client.get(module_one.get_absolute_url())


def test_other_modules_render_literally(signed_in_client):
    """Modules written by someone else in the plain-text form show < and & as written."""
    modules = import_modules(TEST_DATA)
    body = signed_in_client.get(modules[1].get_absolute_url()).content.decode()
    assert "Anchors &amp; Ranges" in body
    assert "budget is &lt; 10k" in body
    assert "&lt;not a bluff&gt;" in body
    assert body.count('<h2 id="section-') == 2
    third = signed_in_client.get(modules[2].get_absolute_url()).content.decode()
    assert third.count('<h2 id="section-') == 4
    assert "A &gt; B, cost &lt; value, R&amp;D." in third
    assert "Module 3 of 3 · ~8 min" in third


def test_opening_a_module_marks_it_in_progress_and_home_offers_to_continue(signed_in_client, modules, learner):
    signed_in_client.get(modules[0].get_absolute_url())
    assert ModuleProgress.objects.get(learner=learner).completed_at is None
    body = signed_in_client.get("/").content.decode()
    assert "In progress" in body
    assert f'href="{modules[0].get_absolute_url()}">Continue with Module 1' in body


def test_mark_complete_shows_done_and_continue_moves_on(signed_in_client, learner):
    modules = import_modules(TEST_DATA)
    signed_in_client.get(modules[0].get_absolute_url())
    response = signed_in_client.post(modules[0].get_absolute_url() + "complete/")
    assert response.status_code == 302
    body = signed_in_client.get("/").content.decode()
    assert "1 of 3 modules done" in body
    assert "Continue with Module 2" in body
    assert "You have completed this module." in signed_in_client.get(modules[0].get_absolute_url()).content.decode()


def test_mark_complete_needs_post(signed_in_client, module_one):
    assert signed_in_client.get(module_one.get_absolute_url() + "complete/").status_code == 405


def test_previous_and_next_links(signed_in_client):
    modules = import_modules(TEST_DATA)
    body = signed_in_client.get(modules[1].get_absolute_url()).content.decode()
    assert f'rel="prev" href="{modules[0].get_absolute_url()}"' in body
    assert f'rel="next" href="{modules[2].get_absolute_url()}"' in body


def test_unknown_module_is_404(signed_in_client, modules):
    assert signed_in_client.get("/courses/sales-blueprint/no-such-module/").status_code == 404


def test_new_learner_is_offered_the_first_module(signed_in_client, modules):
    assert f'href="{modules[0].get_absolute_url()}">Start with Module 1' in signed_in_client.get("/").content.decode()


def test_nothing_to_continue_when_every_module_is_done(signed_in_client, modules):
    for module in modules:
        signed_in_client.post(module.get_absolute_url() + "complete/")
    body = signed_in_client.get("/").content.decode()
    assert "Continue with" not in body and "Start with" not in body
    assert f"{len(modules)} of {len(modules)} module" in body


def test_signed_in_home_is_not_cached_by_browsers_or_proxies(signed_in_client, modules):
    from django.test import Client

    assert "no-store" in signed_in_client.get("/")["Cache-Control"]
    assert "no-store" not in Client().get("/").get("Cache-Control", "")
