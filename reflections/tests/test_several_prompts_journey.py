"""A browser journey through a module with several reflection prompts: each box saves
its own text, and the text comes back in the box, on the server and in the journal."""

import re

import pytest
from playwright.sync_api import expect

from testing.browser import module_url, signed_in_context, text_on_server
from testing.factories import import_modules, make_learner, module_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SAVED = re.compile(r"^Saved at ")
FURNITURE = "Saves automatically · come back to it whenever."
# (key, prompt, what the learner writes), in the module's order.
PROMPTS = [
    ("reflection", "Which question opened the conversation up?", "I asked what a good outcome looked like for them."),
    ("pricing", "When did the price come up, and who raised it?", "They raised it first, in the second call."),
    ("reflection-3", "What will you listen for next time?", "The reason behind the first number they name."),
]


@pytest.fixture
def module(tmp_path):
    """A module whose reflection part is three prompts, the second with its own id."""
    markers = ["Reflection · write it down", "Reflection · write it down #pricing", "Reflection · write it down"]
    reflection = "\n".join(
        f"{marker}\n{prompt}\n{FURNITURE}" for marker, (_, prompt, _) in zip(markers, PROMPTS, strict=True)
    )
    path = tmp_path / "module.txt"
    path.write_text(module_text(reflection=reflection), encoding="utf-8")
    (module,) = import_modules(path)
    return module


def test_three_prompts_each_keep_their_own_text(module, browser, live_server):
    """Three prompts show three labelled boxes; each saves its own text, which is back after a reload,
    on the server under its own activity, and in the journal under its prompt, in order."""
    activities = {activity.key: activity for activity in module.activities.filter(kind="reflection")}
    assert [activity.key for activity in module.activities.filter(kind="reflection").order_by("position")] == [
        key for key, _, _ in PROMPTS
    ]
    learner = make_learner()
    context = signed_in_context(browser, live_server.url, learner)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(module_url(live_server.url, module))

    boxes = {key: page.get_by_role("textbox", name=prompt) for key, prompt, _ in PROMPTS}
    expect(page.get_by_role("textbox")).to_have_count(len(PROMPTS))
    for key, _, text in PROMPTS:
        expect(boxes[key]).to_be_visible()
        boxes[key].press_sequentially(text)
    for key, _, _ in PROMPTS:
        expect(page.locator(f"#{key}-status")).to_have_text(SAVED, timeout=20_000)

    page.reload()
    for key, _, text in PROMPTS:
        expect(boxes[key]).to_have_value(text)
    for key, _, text in PROMPTS:
        assert text_on_server(browser, live_server.url, learner, module, activities[key]) == text

    page.goto(live_server.url + "/journal/")
    entries = page.locator("article.journal-entry")
    expect(entries).to_have_count(len(PROMPTS))
    for index, (_, prompt, text) in enumerate(PROMPTS):
        expect(entries.nth(index).locator(".prompt")).to_have_text(prompt)
        expect(entries.nth(index).locator(".journal-text")).to_have_text(text)
    context.close()
