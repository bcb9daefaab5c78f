"""Modules made of keyed activities: several reflection prompts, in both file forms, on one page."""

import json
from pathlib import Path

import pytest
from django.urls import reverse

from courses.activities import activities_done
from courses.formats import ModuleFormatError, dump_canonical, parse_canonical, parse_plaintext
from courses.importer import modules_sync
from courses.models import Activity, Module
from reflections.models import Reflection
from reflections.services import reflection_save
from testing.factories import import_modules, make_learner, module_text

THREE_PROMPTS = (
    "Reflection · write it down\nWhat did the buyer say they wanted?\n"
    "Saves automatically · come back to it whenever.\n"
    "Reflection · write it down #pricing\nWhat was behind the price request?\n"
    "Reflection · write it down\nHow would you open next time?"
)
CANONICAL_THREE = """---
number: 7
title: Listening
---

Opening.

::: takeaways
- One.
:::

::: reflection
What did the buyer say they wanted?
:::

::: reflection pricing
What was behind the price request?
:::

::: reflection
How would you open next time?
:::

::: outcome
You listen.
:::
"""
KEYS = ["reflection", "pricing", "reflection-3"]


def reflection_keys(document) -> list[str]:
    return [activity.key for activity in document.reflections]


def test_plain_text_reflections_are_keyed_by_order_or_explicit_id():
    """Each 'Reflection · write it down' part is a prompt; '#id' names it, else its order does."""
    document = parse_plaintext(module_text(reflection=THREE_PROMPTS))
    assert [a.kind for a in document.activities] == ["lesson", "takeaways", "reflection", "reflection", "reflection"]
    assert reflection_keys(document) == KEYS
    assert document.reflections[1].text == "What was behind the price request?"


def test_both_forms_express_the_same_three_prompts():
    """The canonical file with three ::: reflection blocks keys them as the plain text does, and round-trips."""
    plain = parse_plaintext(module_text(reflection=THREE_PROMPTS))
    canonical = parse_canonical(CANONICAL_THREE)
    assert reflection_keys(canonical) == KEYS
    assert [a.text for a in canonical.reflections] == [a.text for a in plain.reflections]
    assert parse_canonical(dump_canonical(canonical)) == canonical


@pytest.mark.parametrize(
    ("text", "line", "expected"),
    [
        (
            module_text(reflection="Reflection · write it down #a\nOne?\nReflection · write it down #a\nTwo?"),
            12,
            "once",
        ),
        (module_text(reflection="Reflection · write it down #Bad_Id\nOne?"), 10, "reflection id"),
        (module_text(reflection="Reflection · write it down #outcome\nOne?"), 10, "reflection id"),
        (module_text(reflection="Reflection · write it down\nOne?\nReflection · write it down"), 13, "expected text"),
    ],
    ids=["duplicate id", "malformed id", "reserved id", "empty second prompt"],
)
def test_bad_reflection_parts_name_the_line(text, line, expected):
    """A repeated, malformed or empty reflection part is refused with its line."""
    with pytest.raises(ModuleFormatError) as error:
        parse_plaintext(text)
    assert error.value.line == line
    assert expected in error.value.message


def test_canonical_duplicate_reflection_id_names_the_line():
    text = CANONICAL_THREE.replace("::: reflection pricing", "::: reflection reflection")
    with pytest.raises(ModuleFormatError) as error:
        parse_canonical(text)
    assert error.value.line == 16 and "'reflection'" in error.value.message


def three_prompt_module(tmp_path: Path) -> Module:
    path = tmp_path / "listening.txt"
    # Three prompts take ~15 min to answer: declared so, the import has no estimate to warn about.
    path.write_text(module_text(header="Module 7 · ~16 min", reflection=THREE_PROMPTS), encoding="utf-8")
    return import_modules(path)[0]


def prompts_of(module: Module) -> list[Activity]:
    return list(module.activities.filter(kind="reflection").order_by("position"))


@pytest.mark.django_db
def test_the_page_shows_three_labelled_boxes_each_saving_on_its_own(tmp_path, client):
    """Three prompts → three boxes, each labelled by its prompt, each with its own save address."""
    module = three_prompt_module(tmp_path)
    learner = make_learner()
    client.force_login(learner)
    first, pricing, third = prompts_of(module)
    reflection_save(learner=learner, activity=pricing, text="Budget <cycle>.", base_revision=0)
    body = client.get(module.get_absolute_url()).content.decode()
    assert [f"Reflection {n} of 3 · write it down" in body for n in (1, 2, 3)] == [True, True, True]
    for key, prompt in zip(KEYS, (first, pricing, third), strict=True):
        assert f'id="{key}-text"' in body and f'aria-labelledby="{key}-prompt"' in body
        assert reverse("reflections:api", args=[prompt.pk]) in body
    assert "Budget &lt;cycle&gt;." in body.split('id="pricing-text"')[1].split("</textarea>")[0]
    assert body.index('id="reflection-text"') < body.index('id="pricing-text"') < body.index('id="reflection-3-text"')
    for prompt, text in ((first, "Said: 20% off."), (third, "Open with the shared goal.")):
        response = client.post(
            reverse("reflections:api", args=[prompt.pk]),
            {"text": text, "base_revision": 0},
            content_type="application/json",
        )
        assert response.status_code == 200
    saved = dict(Reflection.objects.filter(learner=learner).values_list("activity__key", "text"))
    assert saved == {
        "reflection": "Said: 20% off.",
        "pricing": "Budget <cycle>.",
        "reflection-3": "Open with the shared goal.",
    }


@pytest.mark.django_db
@pytest.mark.parametrize("prompts", [1, 3])
def test_the_page_costs_the_same_queries_whatever_its_number_of_prompts(
    tmp_path, client, prompts, django_assert_num_queries
):
    """Session, user, the course's progress (which holds the module's), one query for every reflection
    box on the page (1 prompt or 3) and the feedback on them, and one asking whether the learner has
    a coach."""
    reflection = "Reflection · write it down\nOne?" if prompts == 1 else THREE_PROMPTS
    path = tmp_path / "m.txt"
    path.write_text(module_text(reflection=reflection), encoding="utf-8")
    module = import_modules(path)[0]
    learner = make_learner()
    for prompt in prompts_of(module):
        reflection_save(learner=learner, activity=prompt, text="Written.", base_revision=0)
    client.force_login(learner)
    client.get(module.get_absolute_url())
    with django_assert_num_queries(5):
        response = client.get(module.get_absolute_url())
    assert response.content.decode().count("<textarea") == prompts


@pytest.mark.django_db
def test_journal_and_json_export_hold_every_prompt_in_order(tmp_path, client):
    """The journal and both downloads list all three answers, in course, module and prompt order."""
    module = three_prompt_module(tmp_path)
    learner = make_learner()
    for prompt in reversed(prompts_of(module)):
        reflection_save(learner=learner, activity=prompt, text=f"Answer to {prompt.key}.", base_revision=0)
    client.force_login(learner)
    journal = client.get("/journal/").content.decode()
    positions = [journal.index(f"Answer to {key}.") for key in KEYS]
    assert positions == sorted(positions)
    assert "What was behind the price request?" in journal
    entries = json.loads(client.get("/journal.json").content)["reflections"]
    assert [entry["prompt_id"] for entry in entries] == KEYS
    data = json.loads(client.get(reverse("account_data")).content)
    assert [entry["prompt_id"] for entry in data["reflections"]] == KEYS


@pytest.mark.django_db
def test_a_reworded_prompt_keeps_its_answers_and_is_reported(tmp_path):
    """Rewording the second prompt keeps the learner's answer on it, and the import says so."""
    module = three_prompt_module(tmp_path)
    learner = make_learner()
    pricing = prompts_of(module)[1]
    reflection_save(learner=learner, activity=pricing, text="Mine.", base_revision=0)
    path = tmp_path / "listening.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("price request", "discount request"), encoding="utf-8")
    result = modules_sync(paths=[path])
    assert result.warnings == ["module 7: reflection 'pricing' was reworded; learners' answers stay attached to it"]
    reflection = Reflection.objects.get(learner=learner)
    assert reflection.activity_id == pricing.pk
    assert reflection.activity.text == "What was behind the discount request?"


@pytest.mark.django_db
def test_done_is_what_each_kind_says(tmp_path):
    """A reflection is done once it holds writing; reading activities keep no records and are never "done"."""
    module = three_prompt_module(tmp_path)
    learner = make_learner()
    first, pricing, _ = prompts_of(module)
    reflection_save(learner=learner, activity=pricing, text="Written.", base_revision=0)
    reflection_save(learner=learner, activity=first, text="", base_revision=0)
    reflection_save(learner=make_learner(), activity=first, text="Someone else's.", base_revision=0)
    assert activities_done(learner=learner, activities=list(module.activities.all())) == {pricing.pk}
