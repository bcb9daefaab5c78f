"""Browser journeys for automatic saving: every fault ends by asking the server,
from another device, whether every word is there."""

import re
import time

import pytest
from playwright.sync_api import expect

from conftest import CHROMIUM, CHROMIUM_ARGS
from reflections.limits import REFLECTION_MAX_CHARS
from reflections.models import Reflection, ReflectionVersion
from testing.browser import api_url, first_prompt, module_url, session_cookie, signed_in_context, text_on_server
from testing.factories import import_modules, make_learner

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SAVED = re.compile(r"^Saved at ")
KEPT_HERE = re.compile(r"kept on this device")


@pytest.fixture
def setting(browser, live_server):
    """A learner with Module 1 open in a signed-in browser."""
    module = import_modules()[0]
    learner = make_learner()
    context = signed_in_context(browser, live_server.url, learner)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(module_url(live_server.url, module))
    yield page, learner, module
    context.close()


def box(page):
    return page.get_by_role("textbox", name="Think of a recent negotiation")


def status(page):
    return page.locator("#reflection-status")


class HeldSaves:
    """Holds save requests in the browser until released, like a very slow network."""

    def __init__(self, page) -> None:
        self.routes = []
        self.holding = True
        page.route("**/api/reflections/**", self._handle)

    def _handle(self, route) -> None:
        if self.holding:
            self.routes.append(route)
        else:
            route.continue_()

    def release(self) -> None:
        self.holding = False
        for route in self.routes:
            route.continue_()


def on_server(browser, live_server, learner, module) -> str:
    return text_on_server(browser, live_server.url, learner, module)


def test_typing_alone_saves_and_saved_means_confirmed(setting, browser, live_server):
    """Typing with no click saves; while the server has not replied the status never says saved."""
    page, learner, module = setting
    held = HeldSaves(page)
    box(page).press_sequentially("Their position was price; their interest was certainty.")
    expect(status(page)).to_have_text("Saving…")
    page.wait_for_timeout(500)
    expect(status(page)).to_have_text("Saving…")
    assert on_server(browser, live_server, learner, module) == ""
    held.release()
    expect(status(page)).to_have_text(SAVED)
    assert on_server(browser, live_server, learner, module) == "Their position was price; their interest was certainty."
    assert page.evaluate("Object.keys(localStorage).length") == 0


def test_offline_keeps_text_here_then_syncs_by_itself(setting, browser, live_server):
    """Offline, the status says the text is kept on this device; back online it syncs unprompted."""
    page, learner, module = setting
    page.context.set_offline(True)
    box(page).press_sequentially("Written on a train with no signal.")
    expect(status(page)).to_have_text(KEPT_HERE)
    assert "Written on a train" in page.evaluate("JSON.stringify(localStorage)")
    page.context.set_offline(False)
    expect(status(page)).to_have_text(SAVED, timeout=20_000)
    assert on_server(browser, live_server, learner, module) == "Written on a train with no signal."
    assert page.evaluate("Object.keys(localStorage).length") == 0


def test_reply_lost_after_commit_is_retried_without_a_second_version(setting, browser, live_server):
    """The server commits but the reply never arrives; the retry is recognised and adds nothing."""
    page, learner, module = setting
    lost = []

    def lose_first_reply(route):
        if not lost:
            lost.append(route.fetch())  # the server commits the save
            route.abort("connectionreset")  # ...and the learner's browser never hears back
        else:
            route.continue_()

    page.route("**/api/reflections/**", lose_first_reply)
    box(page).press_sequentially("Only once, please.")
    expect(status(page)).to_have_text(SAVED, timeout=20_000)
    assert lost[0].status == 200
    reflection = Reflection.objects.get(learner=learner)
    assert (reflection.revision, reflection.text) == (1, "Only once, please.")
    assert ReflectionVersion.objects.filter(reflection=reflection).count() == 1
    assert on_server(browser, live_server, learner, module) == "Only once, please."


def test_slow_and_out_of_order_replies_never_overwrite_newer_text(setting, browser, live_server):
    """A slow reply to an old save, and an old save replayed late, leave the newest text in place."""
    page, learner, module = setting
    held = HeldSaves(page)
    box(page).press_sequentially("First thought.")
    expect(status(page)).to_have_text("Saving…")
    box(page).press_sequentially(" Second, better thought.")
    page.wait_for_timeout(1500)
    assert len(held.routes) == 1, "a second save must wait for the first reply"
    first_body = held.routes[0].request.post_data
    held.release()
    expect(status(page)).to_have_text(SAVED, timeout=20_000)
    assert on_server(browser, live_server, learner, module) == "First thought. Second, better thought."

    replay = page.context.request.post(
        api_url(live_server.url, module),
        data=first_body,
        headers={"Content-Type": "application/json", "X-CSRFToken": _csrf(page)},
    )
    assert replay.status in (200, 409)
    assert on_server(browser, live_server, learner, module) == "First thought. Second, better thought."


def _csrf(page) -> str:
    return next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")


def test_tab_closed_right_after_typing_keeps_the_text(setting, browser, live_server):
    """Closing the tab within a second of the last keystroke loses nothing."""
    page, learner, module = setting
    box(page).press_sequentially("Closed in a hurry", delay=5)
    context = page.context
    page.close(run_before_unload=True)
    reopened = context.new_page()
    reopened.goto(module_url(live_server.url, module))
    expect(box(reopened)).to_have_value("Closed in a hurry")
    expect(status(reopened)).to_have_text(re.compile(r"^Saved"), timeout=20_000)
    assert on_server(browser, live_server, learner, module) == "Closed in a hurry"


def test_browser_closed_while_offline_restores_the_draft_next_visit(playwright, tmp_path, browser, live_server):
    """Text written offline survives closing the browser and is sent on the next visit."""
    module = import_modules()[0]
    learner = make_learner()
    profile = tmp_path / "profile"

    def launch():
        context = playwright.chromium.launch_persistent_context(profile, executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context.set_default_timeout(15_000)
        return context

    first = launch()
    first.add_cookies([{**session_cookie(learner, live_server.url), "expires": 2_000_000_000}])
    page = first.new_page()
    page.goto(module_url(live_server.url, module))
    first.set_offline(True)
    box(page).press_sequentially("Drafted in a tunnel.")
    expect(status(page)).to_have_text(KEPT_HERE)
    # Playwright lifts its offline emulation while it closes the context, before the
    # page-close save fires; a real offline browser's fetch fails there too.
    page.evaluate("() => { window.fetch = () => Promise.reject(new TypeError('offline')); }")
    first.close()
    assert Reflection.objects.filter(learner=learner).count() == 0

    second = launch()
    page = second.new_page()
    page.goto(module_url(live_server.url, module))
    expect(box(page)).to_have_value("Drafted in a tunnel.")
    expect(status(page)).to_have_text(SAVED, timeout=20_000)
    second.close()
    assert on_server(browser, live_server, learner, module) == "Drafted in a tunnel."


def test_two_tabs_stale_save_is_refused_and_the_learner_chooses(setting, browser, live_server):
    """The second tab's stale save is refused; both texts are shown; keeping both loses nothing."""
    page, learner, module = setting
    other = page.context.new_page()
    other.goto(module_url(live_server.url, module))
    box(page).press_sequentially("Written in tab one.")
    expect(status(page)).to_have_text(SAVED)
    box(other).press_sequentially("Written in tab two.")
    expect(status(other)).to_have_text(re.compile("changed in another tab"))
    panel = other.locator("[data-conflict]")
    expect(panel).to_contain_text("Written in tab one.")
    expect(panel).to_contain_text("Written in tab two.")
    assert on_server(browser, live_server, learner, module) == "Written in tab one."
    other.get_by_role("button", name="Keep both").click()
    expect(status(other)).to_have_text(SAVED)
    saved = on_server(browser, live_server, learner, module)
    assert "Written in tab one." in saved and "Written in tab two." in saved


def test_expired_session_never_claims_saved_and_syncs_after_signing_in(setting, browser, live_server, password):
    """With the session gone the status says signed out; after signing in elsewhere the text syncs."""
    page, learner, module = setting
    page.context.clear_cookies()
    box(page).press_sequentially("Written after my session ended.")
    expect(status(page)).to_contain_text("you are signed out")
    expect(status(page).get_by_role("link", name="Sign in to save")).to_be_visible()
    assert on_server(browser, live_server, learner, module) == ""
    login = page.context.new_page()
    login.goto(live_server.url + "/accounts/login/")
    login.get_by_label("Email").fill(learner.email)
    login.get_by_label("Password").fill(password)
    login.get_by_role("button", name="Sign in").click()
    expect(login.get_by_role("link", name="My journal")).to_be_visible()
    expect(status(page)).to_have_text(SAVED, timeout=20_000)
    assert on_server(browser, live_server, learner, module) == "Written after my session ended."


def test_the_counter_counts_as_the_textarea_and_the_server_do(setting, browser, live_server):
    """Line breaks count once and an emoji twice, on the page as on the server: text at the limit
    is saved whole, and the box takes no more."""
    page, learner, module = setting
    at_limit = ("x" * 199 + "\n") * 99 + "\N{HANDSHAKE}" * 100
    box(page).fill(at_limit)
    expect(page.locator("#reflection [data-char-count]")).to_have_text("20,000 / 20,000")
    expect(status(page)).to_have_text(SAVED)
    box(page).press("End")
    box(page).press_sequentially("y")
    expect(page.locator("#reflection [data-char-count]")).to_have_text("20,000 / 20,000")
    assert on_server(browser, live_server, learner, module) == at_limit


def test_text_over_the_limit_is_refused_explicitly_and_not_cut(setting, browser, live_server):
    """Too-long text (a copy kept on this device; the box itself takes no more) gets an explicit
    message, stays whole in the box, and nothing is saved."""
    page, learner, module = setting
    too_long = "x" * (REFLECTION_MAX_CHARS + 1)
    key = f"sbp:draft:{learner.pk}:{first_prompt(module).pk}"
    page.evaluate("([key, text]) => localStorage.setItem(key, JSON.stringify({text, base: 0}))", [key, too_long])
    page.reload()
    expect(status(page)).to_contain_text("over the limit")
    page.wait_for_timeout(1500)
    assert len(box(page).input_value()) == REFLECTION_MAX_CHARS + 1
    assert on_server(browser, live_server, learner, module) == ""


def test_too_many_saves_keeps_the_text_here_and_saves_it_later(setting, browser, live_server):
    """Answered 429 (the per-learner ceiling), the page keeps the text on this device and sends it again."""
    page, learner, module = setting
    refused = []

    def refuse_twice(route):
        if len(refused) < 2:
            refused.append(route.request.post_data)
            route.fulfill(status=429, headers={"Retry-After": "60"}, json={"error": "too_many_saves", "message": "…"})
        else:
            route.continue_()

    page.route("**/api/reflections/**", refuse_twice)
    box(page).press_sequentially("Typed faster than any typist.")
    expect(status(page)).to_have_text(KEPT_HERE)
    assert "Typed faster" in page.evaluate("JSON.stringify(localStorage)")
    expect(status(page)).to_have_text(SAVED, timeout=20_000)
    assert on_server(browser, live_server, learner, module) == "Typed faster than any typist."


def test_full_local_storage_is_said_plainly(setting, browser, live_server):
    """When this device cannot keep a copy, the learner is told, and the text still reaches the server."""
    page, learner, module = setting
    page.evaluate(
        "() => { Storage.prototype.setItem = () => { throw new DOMException('full', 'QuotaExceededError'); }; }"
    )
    page.context.set_offline(True)
    box(page).press_sequentially("No room on this phone.")
    expect(status(page)).to_contain_text("storage is full")
    page.context.set_offline(False)
    expect(status(page)).to_have_text(SAVED, timeout=20_000)
    assert on_server(browser, live_server, learner, module) == "No room on this phone."


@pytest.fixture
def app_server(tmp_path, password):
    from testing.servers import AppServer

    server = AppServer(tmp_path)
    server.prepare(email="kai@example.com", password=password)
    server.start()
    yield server
    server.kill()


def test_server_killed_mid_save_then_restarted_syncs_without_a_false_saved(app_server, browser, password):
    """The server dies while a save is on the wire; the text waits on the device and syncs after the restart."""
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(15_000)
    held = HeldSaves(page)
    page.goto(app_server.url + "/accounts/login/?next=/courses/sales-blueprint/what-negotiation-actually-is/")
    page.get_by_label("Email").fill("kai@example.com")
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/courses/sales-blueprint/what-negotiation-actually-is/")
    box(page).press_sequentially("Typed while the server went down.")
    expect(status(page)).to_have_text("Saving…")
    app_server.kill()
    held.release()
    expect(status(page)).to_have_text(KEPT_HERE)
    page.wait_for_timeout(1000)
    expect(status(page)).not_to_have_text(SAVED)
    app_server.start()
    expect(status(page)).to_have_text(SAVED, timeout=20_000)

    device = browser.new_context()
    other = device.new_page()
    other.goto(app_server.url + "/accounts/login/?next=/courses/sales-blueprint/what-negotiation-actually-is/")
    other.get_by_label("Email").fill("kai@example.com")
    other.get_by_label("Password").fill(password)
    other.get_by_role("button", name="Sign in").click()
    expect(box(other)).to_have_value("Typed while the server went down.")
    device.close()
    context.close()


def test_signing_out_warns_about_unsynced_text_then_clears_this_device(setting, browser, live_server):
    """Signing out with unsent text asks first; once confirmed, no private text is left in the browser."""
    page, learner, module = setting
    page.context.set_offline(True)
    box(page).press_sequentially("Not sent yet.")
    expect(status(page)).to_have_text(KEPT_HERE)
    dialogs = []

    def answer(dialog):
        dialogs.append(dialog.message)
        dialog.dismiss() if len(dialogs) == 1 else dialog.accept()

    page.on("dialog", answer)
    page.get_by_role("button", name="Sign out").click()
    assert "not reached the server" in dialogs[0]
    assert "Not sent yet." in page.evaluate("JSON.stringify(localStorage)")
    page.context.route("**/api/reflections/**", lambda route: route.abort())  # still unsent when signing out
    page.context.set_offline(False)
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("link", name="Sign in", exact=True)).to_be_visible()
    assert len(dialogs) == 2
    assert page.evaluate("Object.keys(localStorage).length") == 0


def test_tab_closed_while_a_save_is_unanswered_keeps_every_word(setting, browser, live_server):
    """The first save reaches the server but its reply is slow; the tab closes after more typing: all of it lands."""
    page, learner, module = setting
    slow = []

    def commit_but_delay_reply(route):
        if not slow:
            slow.append(route.fetch())  # committed on the server, reply not yet given to the page
        else:
            route.continue_()

    page.route("**/api/reflections/**", commit_but_delay_reply)
    box(page).press_sequentially("First sentence.")
    expect(status(page)).to_have_text("Saving…")
    page.wait_for_timeout(500)
    assert on_server(browser, live_server, learner, module) == "First sentence."
    box(page).press_sequentially(" Second sentence.", delay=5)
    context = page.context
    page.close(run_before_unload=True)
    # The close-save is a keepalive request still on its way; a page opened in the same
    # millisecond could be served before it lands (and rightly shows both texts). A
    # learner reopens later than that: give the request its moment, as they would.
    deadline = time.monotonic() + 5
    while on_server(browser, live_server, learner, module) != "First sentence. Second sentence.":
        assert time.monotonic() < deadline, "the close-save never reached the server"
        time.sleep(0.05)
    other = context.new_page()
    other.goto(module_url(live_server.url, module))
    expect(box(other)).to_have_value("First sentence. Second sentence.")
    expect(other.locator("[data-conflict]")).to_be_hidden()
    assert on_server(browser, live_server, learner, module) == "First sentence. Second sentence."


def test_signing_out_in_one_tab_stops_the_other_keeping_drafts(setting, browser, live_server):
    """After signing out in one tab, another tab of the same learner leaves nothing in the browser."""
    page, learner, module = setting
    other = page.context.new_page()
    other.goto(module_url(live_server.url, module))
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("link", name="Sign in", exact=True)).to_be_visible()
    other.context.set_offline(True)
    box(other).press_sequentially("Typed in a forgotten tab.")
    expect(status(other)).not_to_have_text(SAVED)
    other.wait_for_timeout(500)
    assert "Typed in a forgotten tab." not in other.evaluate("JSON.stringify(localStorage)")
