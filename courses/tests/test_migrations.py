"""The move from modules with a body and prompts to courses of keyed activities
(courses 0003-0006, reflections 0003) keeps every learner's writing and progress."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from accounts.models import User
from courses.models import Activity, Module
from progress.models import ModuleProgress, Status
from progress.selectors import module_status
from reflections.selectors import journal_for, reflection_for, version_for

pytestmark = pytest.mark.django_db(transaction=True)

# The schema just before modules became courses of activities.
BEFORE = {
    "courses": "0002_module_updated_at_index",
    "reflections": "0002_reflection_current_version",
    "progress": "0001_initial",
    "practice": None,  # came later: not there yet
    "cohorts": None,
    "revisits": None,
    "lti": None,
}
# A stored hash, as in any real database; nobody signs in here.
PASSWORD_HASH = "md5$migrationsalt$0123456789abcdef0123456789abcdef"
START = timezone.now() - timedelta(days=30)


def _latest(executor: MigrationExecutor) -> list[tuple[str, str]]:
    return executor.loader.graph.leaf_nodes()


def _before(executor: MigrationExecutor) -> list[tuple[str, str]]:
    """Every other app (accounts, contrib, ...) at its latest; ours as they were."""
    others = [node for node in _latest(executor) if node[0] not in BEFORE]
    return others + list(BEFORE.items())


def _migrate(targets_of) -> tuple[MigrationExecutor, list[tuple[str, str]]]:
    executor = MigrationExecutor(connection)  # a fresh loader sees what is applied now
    targets = targets_of(executor)
    executor.migrate(targets)
    return MigrationExecutor(connection), targets


def _fill_modules(apps) -> dict:
    Module = apps.get_model("courses", "Module")
    Prompt = apps.get_model("courses", "Prompt")
    modules, prompts = {}, {}
    for number in (1, 2):
        module = Module.objects.create(
            number=number,
            slug=f"module-{number}",
            title=f"Module {number}",
            body=f"Lesson {number}.\n\n*Emphasis* here.",
            body_html=f"<p>Lesson {number}.</p>\n<p><em>Emphasis</em> here.</p>",
            takeaways=[f"First of {number}.", f"**Second** of {number}."],
            takeaways_html=[f"First of {number}.", f"<strong>Second</strong> of {number}."],
            outcome="You know.",
            outcome_html="<p>You know.</p>",
            minutes=5,
            content_hash=f"hash-{number}",
        )
        if number == 1:
            # Created first, so only the order by is_active puts it after the active prompt.
            prompts["retired"] = Prompt.objects.create(
                module=module, key="old-question", text="An old question?", text_html="<p>An old question?</p>",
                is_active=False,
            )  # fmt: skip
        prompts[number] = Prompt.objects.create(
            module=module, key="reflection", text=f"Question {number}?", text_html=f"<p>Question {number}?</p>"
        )
        modules[number] = module
    return {"modules": modules, "prompts": prompts}


def _fill_reflection(apps, learner, prompt, texts: list[str], when) -> dict:
    Reflection = apps.get_model("reflections", "Reflection")
    ReflectionVersion = apps.get_model("reflections", "ReflectionVersion")
    reflection = Reflection.objects.create(
        learner=learner, prompt=prompt, text=texts[-1], revision=len(texts) * 3, last_save_id="save-x", updated_at=when
    )
    versions = [
        ReflectionVersion.objects.create(
            reflection=reflection,
            text=text,
            revision=(index + 1) * 3,
            started_at=when + timedelta(hours=index),
            saved_at=when + timedelta(hours=index, minutes=10),
        )
        for index, text in enumerate(texts)
    ]
    reflection.current_version = versions[-1]
    reflection.save(update_fields=["current_version"])
    return {
        "learner": learner.pk,
        "activity": prompt.pk,
        "text": reflection.text,
        "revision": reflection.revision,
        "current_version": versions[-1].pk,
        "versions": {version.pk: (version.text, version.revision) for version in versions},
    }


def _fill_learners(apps, content: dict) -> dict:
    User = apps.get_model("accounts", "User")
    ModuleProgress = apps.get_model("progress", "ModuleProgress")
    modules, prompts = content["modules"], content["prompts"]
    ana = User.objects.create(email="ana@example.com", password=PASSWORD_HASH)
    ben = User.objects.create(email="ben@example.com", password=PASSWORD_HASH)
    reflections = [
        _fill_reflection(apps, ana, prompts[1], ["Ana, first go.", "Ana, second go.", "Ana, final."], START),
        _fill_reflection(apps, ana, prompts[2], ["Ana on two.", "Ana on two, again."], START + timedelta(days=1)),
        _fill_reflection(apps, ana, prompts["retired"], ["Written before it was retired."], START),
        _fill_reflection(apps, ben, prompts[1], ["Ben's only draft.", "Ben's later draft."], START + timedelta(days=2)),
    ]
    progress = [
        (ana, modules[1], START, START + timedelta(days=3), START + timedelta(days=3)),
        (ana, modules[2], START + timedelta(days=1), START + timedelta(days=4), None),
        (ben, modules[1], START + timedelta(days=2), START + timedelta(days=2), None),
    ]
    for learner, module, started, seen, completed in progress:
        ModuleProgress.objects.create(
            learner=learner, module=module, started_at=started, last_seen_at=seen, completed_at=completed
        )
    return {
        "learners": {"ana": ana.pk, "ben": ben.pk},
        "reflections": reflections,
        "progress": [(learner.pk, module.pk, *dates) for learner, module, *dates in progress],
    }


def _snapshot(content: dict) -> dict:
    """What the old rows said, as plain values, to compare with after the move."""
    return {
        "modules": {
            module.pk: {
                "body": module.body,
                "body_html": module.body_html,
                "takeaways": module.takeaways,
                "takeaways_html": module.takeaways_html,
            }
            for module in content["modules"].values()
        },
        "prompts": {
            prompt.pk: (prompt.module_id, prompt.key, prompt.text, prompt.text_html, prompt.is_active)
            for prompt in content["prompts"].values()
        },
        "active_prompt": {module.pk: content["prompts"][number].pk for number, module in content["modules"].items()},
        "retired_prompt": content["prompts"]["retired"].pk,
    }


@pytest.fixture
def before_and_after():
    """Data written at the old schema, then the database migrated to the latest; always left at the latest."""
    try:
        executor, targets = _migrate(_before)
        apps = executor.loader.project_state([t for t in targets if t[1] is not None]).apps
        content = _fill_modules(apps)
        old = {**_snapshot(content), **_fill_learners(apps, content)}
        _migrate(_latest)
        yield old
    finally:
        _migrate(_latest)


def test_reflections_and_versions_survive_on_the_same_activities(before_and_after):
    """Learners' reflections, versions and progress survive the move to courses and activities:
    each reflection, with its text, revision and versions, is read through the selectors on the
    activity whose id was its prompt's."""
    old = before_and_after
    for expected in old["reflections"]:
        learner = User.objects.get(pk=expected["learner"])
        activity = Activity.objects.get(pk=expected["activity"])
        reflection = reflection_for(viewer=learner, learner=learner, activity=activity)
        assert reflection is not None, expected
        assert (reflection.activity_id, reflection.text, reflection.revision) == (
            expected["activity"],
            expected["text"],
            expected["revision"],
        )
        assert reflection.current_version_id == expected["current_version"]
        versions = {version.pk: (version.text, version.revision) for version in reflection.versions.all()}
        assert versions == expected["versions"]
        assert reflection.stored_chars == sum(len(text) for text, _ in versions.values())  # reflections 0005
        for version_id, text_and_revision in expected["versions"].items():
            version = version_for(viewer=learner, learner=learner, activity=activity, version_id=version_id)
            assert (version.text, version.revision) == text_and_revision


def test_journal_lists_each_learners_reflections_in_course_order(before_and_after):
    """Each learner's journal holds exactly their reflections, module by module, active prompt before retired."""
    old = before_and_after
    prompts = old["prompts"]
    for learner_id in old["learners"].values():
        learner = User.objects.get(pk=learner_id)
        mine = [expected for expected in old["reflections"] if expected["learner"] == learner_id]
        expected_order = sorted(
            (expected["activity"] for expected in mine),
            key=lambda pk: (prompts[pk][0], not prompts[pk][4]),  # module, then active before retired
        )
        journal = list(journal_for(viewer=learner, learner=learner))
        assert [reflection.activity_id for reflection in journal] == expected_order
        assert {r.activity_id: r.text for r in journal} == {e["activity"]: e["text"] for e in mine}


def test_progress_rows_survive(before_and_after):
    """Every progress row is still there, with its dates, and says the same status."""
    old = before_and_after
    assert ModuleProgress.objects.count() == len(old["progress"])
    for learner_id, module_id, started, seen, completed in old["progress"]:
        row = ModuleProgress.objects.get(learner_id=learner_id, module_id=module_id)
        assert (row.started_at, row.last_seen_at, row.completed_at) == (started, seen, completed)
        learner, module = User.objects.get(pk=learner_id), Module.objects.get(pk=module_id)
        assert module_status(learner=learner, module=module) == (Status.DONE if completed else Status.IN_PROGRESS)


def test_modules_join_the_first_course_as_ordered_activities(before_and_after):
    """Each module joins the first course and becomes lesson, takeaways, then its reflection
    prompts (same ids, active before retired); the retired prompt stays hidden."""
    old = before_and_after
    for module_id, was in old["modules"].items():
        module = Module.objects.select_related("course").get(pk=module_id)
        assert module.course.slug == "sales-blueprint"
        lesson, takeaways, *reflections = module.activities.order_by("position")
        assert (lesson.key, lesson.kind, lesson.is_active) == ("lesson", "lesson", True)
        assert (lesson.text, lesson.text_html) == (was["body"], was["body_html"])
        assert (takeaways.key, takeaways.kind, takeaways.is_active) == ("takeaways", "takeaways", True)
        assert takeaways.items == was["takeaways"]
        for item_html in was["takeaways_html"]:
            assert f"<li>{item_html}</li>" in takeaways.text_html
        own_prompts = sorted(
            (pk for pk, prompt in old["prompts"].items() if prompt[0] == module_id),
            key=lambda pk: not old["prompts"][pk][4],
        )
        assert [activity.pk for activity in reflections] == own_prompts
        assert own_prompts[0] == old["active_prompt"][module_id]
        for activity in reflections:
            assert activity.kind == "reflection"
            assert (activity.module_id, activity.key, activity.text, activity.text_html, activity.is_active) == (
                old["prompts"][activity.pk]
            )
    assert Activity.objects.get(pk=old["retired_prompt"]).is_active is False
