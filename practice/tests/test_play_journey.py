"""Playing Module 1's role-play in real Chromium: with JavaScript on and off, by keyboard alone."""

from collections import deque

import pytest
from playwright.sync_api import expect

from courses.models import Activity
from testing.axe import assert_accessible
from testing.browser import module_url, signed_in_context
from testing.factories import import_modules, make_learner

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def routes_to_endings(activity: Activity) -> dict[str, list[str]]:
    """For each ending, the labels of the choices on a shortest way there from the start."""
    passages = {p["name"]: p for p in activity.items["passages"]}
    routes: dict[str, list[str]] = {activity.items["start"]: []}
    queue = deque([activity.items["start"]])
    while queue:
        name = queue.popleft()
        for link in passages[name]["links"]:
            if link["target"] not in routes:
                routes[link["target"]] = [*routes[name], link["text"]]
                queue.append(link["target"])
    return {name: routes[name] for name, p in passages.items() if "ending" in p["tags"]}


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_a_learner_plays_to_every_ending_leaves_and_resumes(browser, live_server, javascript):
    module = import_modules()[0]
    activity = module.activities.get(kind="scenario", is_active=True)
    routes = routes_to_endings(activity)
    assert len(routes) >= 3
    context = signed_in_context(browser, live_server.url, make_learner(), java_script_enabled=javascript)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(module_url(live_server.url, module))
    page.get_by_role("link", name=f"Role-play: {activity.text}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(activity.text)
    check = assert_accessible if javascript else lambda page: None  # axe runs in the page: JavaScript on only
    check(page)

    for number, (ending, labels) in enumerate(routes.items()):
        page.get_by_role("button", name="Play it again" if number else "Start the role-play").click()
        for step, label in enumerate(labels, 1):
            if step == 2 and number == 0:
                # Leave in the middle (the module page says where they are), then come back.
                check(page)
                page.goto(module_url(live_server.url, module))
                expect(page.locator(".plan", has_text="part-way through")).to_be_visible()
                page.get_by_role("link", name=f"Role-play: {activity.text}").click()
                expect(page.get_by_role("heading", name="Scene 2")).to_be_visible()
            page.get_by_role("group", name="What do you say?").get_by_role("button", name=label, exact=True).click()
        review = page.locator("#now")
        best = "best" in next(p for p in activity.items["passages"] if p["name"] == ending)["tags"]
        expect(review.get_by_role("heading").first).to_have_text(
            "You reached a model ending" if best else "How it ended"
        )
        expect(page.locator(".path > li")).to_have_count(len(labels))  # each choice and what it led to
        if not best:
            expect(page.get_by_text("Here you left the model path.")).to_be_visible()
        if number == 0:
            check(page)

    page.goto(module_url(live_server.url, module))
    expect(page.get_by_text(f"played to an ending {len(routes)} times")).to_be_visible()
    page.get_by_role("link", name="My journal").click()
    expect(page.get_by_role("heading", name="Role-plays")).to_be_visible()
    expect(page.locator(".run-list li")).to_have_count(len(routes))
    context.close()


def test_the_keyboard_alone_plays_a_whole_run(browser, live_server):
    module = import_modules()[0]
    context = signed_in_context(browser, live_server.url, make_learner())
    page = context.new_page()
    page.set_default_timeout(10_000)
    scenario = module.activities.get(kind="scenario")
    page.goto(f"{live_server.url}/practice/{scenario.pk}/")

    def press_on(name: str) -> None:
        """Tab (at most 40 times) to the control named ``name``, then press Enter."""
        for _ in range(40):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.textContent.trim()") == name:
                page.keyboard.press("Enter")
                return
        raise AssertionError(f"Tab never reached {name!r}")

    press_on("Start the role-play")
    review = page.locator(".review")
    for scene in range(1, 20):
        expect(page.get_by_role("heading", name=f"Scene {scene}", exact=True).or_(review)).to_be_visible()
        if review.count():
            break
        # After each choice the scene has the focus, so the first choice is the next Tab.
        expect(page.locator("#now")).to_be_focused()
        press_on(page.locator(".choice").first.text_content().strip())
    expect(page.locator(".review h2").first).to_be_visible()
    expect(page.locator(".review")).to_be_focused()
    context.close()
