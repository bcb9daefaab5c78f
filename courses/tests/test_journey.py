import pytest
from playwright.sync_api import expect

from testing.axe import assert_accessible
from testing.factories import import_modules

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_new_learner_reads_module_one_writes_and_completes(page, live_server):
    """Sign up from the home page, read every part of Module 1, write a
    reflection that survives a reload, mark it complete, and see it done."""
    import_modules()
    page.goto(live_server.url)
    assert_accessible(page)
    page.get_by_role("link", name="Sign in").first.click()
    assert_accessible(page)
    page.get_by_role("link", name="Create an account").click()
    page.get_by_label("Email").fill("dana@example.com")
    page.get_by_label("Password", exact=True).fill("a long and unusual passphrase")
    page.get_by_label("Confirm your password").fill("a long and unusual passphrase")
    page.get_by_role("button", name="Sign up").click()

    page.get_by_role("link", name="What Negotiation Actually Is").click()
    lesson = page.get_by_role("article")
    expect(lesson).to_contain_text("Module 1 of 1 · ~13 min")
    expect(page.get_by_role("heading", level=1)).to_have_text("What Negotiation Actually Is")
    expect(lesson).to_contain_text("Mutual Value Creation")
    expect(lesson.locator("blockquote")).to_contain_text("Negotiation is not a battle.")
    for heading in (
        "The combat model and why it fails",
        "The mutual-value creation model",
        "Setting the tone from the first moment",
    ):
        expect(page.get_by_role("heading", name=heading, level=2)).to_be_visible()
    takeaways = page.get_by_role("region", name="Hold on to these")
    expect(takeaways.get_by_role("listitem")).to_have_count(3)
    expect(page.get_by_role("region", name="What you walk away with")).to_contain_text("mutual value-creation process")
    assert_accessible(page)

    box = page.get_by_role("textbox", name="Think of a recent negotiation")
    box.fill("They asked for 20% off; the interest was a budget cycle <ending> in June & a nervous CFO.")
    page.get_by_role("button", name="Save reflection").click()
    expect(page.get_by_role("status").filter(has_text="Saved at")).to_be_visible()
    page.reload()
    expect(page.get_by_role("textbox", name="Think of a recent negotiation")).to_have_value(
        "They asked for 20% off; the interest was a budget cycle <ending> in June & a nervous CFO."
    )

    page.get_by_role("button", name="Complete the module").click()
    card = page.get_by_role("listitem").filter(has_text="What Negotiation Actually Is")
    expect(card).to_contain_text("Done")
    expect(page.get_by_text("1 of 1 module done")).to_be_visible()


def test_lesson_reads_well_on_a_phone(browser, live_server, django_user_model):
    """On a 375px-wide screen the lesson fits without sideways scrolling."""
    import_modules()
    django_user_model.objects.create_user(email="phone@example.com", password="a long and unusual passphrase")
    context = browser.new_context(viewport={"width": 375, "height": 740}, device_scale_factor=2, is_mobile=True)
    page = context.new_page()
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email").fill("phone@example.com")
    page.get_by_label("Password").fill("a long and unusual passphrase")
    page.get_by_role("button", name="Sign in").click()
    page.goto(live_server.url + "/courses/sales-blueprint/what-negotiation-actually-is/")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375
    assert_accessible(page)
    context.close()
