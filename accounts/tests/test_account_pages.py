"""The account pages speak the product's language: its labels, one-line rules, errors where they belong."""

import pytest
from django.core import mail
from django.urls import reverse

from testing.factories import PASSWORD

pytestmark = pytest.mark.django_db

RULE = "10 to 128 characters, not a common password, not all digits, not like your email."


def test_sign_up_states_the_password_rules_in_one_line(client):
    """Sign-up shows one sentence of rules, not Django's bullet list, and no colons after labels."""
    html = client.get(reverse("signup")).content.decode()
    assert RULE in html
    assert "can’t be too similar" not in html
    assert "Confirm your password" in html
    assert "Password confirmation" not in html


def test_password_inputs_let_the_browser_check_the_length_before_sending(client):
    """The new-password field carries the rule's length, so a short one is caught with nothing cleared."""
    form = client.get(reverse("signup")).context["form"]
    attrs = form["password1"].field.widget.attrs
    assert (attrs["minlength"], attrs["maxlength"]) == (10, 128)


def test_a_refused_new_password_is_reported_at_that_field(client):
    """A too-short password is reported under the password field, not under the confirmation."""
    response = client.post(reverse("signup"), {"email": "a@example.com", "password1": "short", "password2": "short"})
    errors = response.context["form"].errors
    assert "password1" in errors and "password2" not in errors
    assert "too short" in errors["password1"][0]


def test_password_change_uses_the_products_labels(signed_in_client):
    """'Current password', 'New password' and 'Confirm your new password', not 'Old password:'."""
    html = signed_in_client.get(reverse("password_change")).content.decode()
    for label in ("Current password", "New password", "Confirm your new password", RULE):
        assert label in html
    assert "Old password" not in html
    assert "confirmation" not in html


def test_password_change_reports_a_common_password_at_the_new_password(signed_in_client, password):
    """A refused new password is reported where it was typed."""
    data = {"old_password": password, "new_password1": "password123", "new_password2": "password123"}
    errors = signed_in_client.post(reverse("password_change"), data).context["form"].errors
    assert list(errors) == ["new_password1"]


def test_a_wrong_current_password_is_said_plainly(signed_in_client):
    """The wrong current password is named as such."""
    data = {"old_password": "nope nope nope", "new_password1": PASSWORD + "x", "new_password2": PASSWORD + "x"}
    errors = signed_in_client.post(reverse("password_change"), data).context["form"].errors
    assert errors["old_password"] == ["That is not your current password."]


def test_the_reset_email_is_the_products_own(client, learner):
    """The reset email names the product in its subject, text and HTML, and carries the link in both."""
    client.post(reverse("password_reset"), {"email": learner.email})
    (message,) = mail.outbox
    (html, mimetype) = message.alternatives[0]
    assert mimetype == "text/html"
    assert message.subject == "Choose a new password for The Sales Blueprint System"
    for body in (message.body, html):
        assert "The Sales Blueprint System" in body
        assert "/accounts/reset/" in body
        assert "Thanks for using our site" not in body
        assert "testserver team" not in body
    assert "for the next 2 hours" in message.body and "for the next 2 hours" in html


def test_the_account_page_is_not_a_bare_definition_list(signed_in_client, learner):
    """The account page has its own stylesheet and a danger-styled delete link."""
    html = signed_in_client.get(reverse("account")).content.decode()
    assert "css/account.css" in html
    assert 'class="button button-danger"' in html
    delete_page = signed_in_client.get(reverse("account_delete")).content.decode()
    assert 'class="button button-danger"' in delete_page


def test_account_forms_name_what_their_button_does(signed_in_client, client):
    """Each password form's button says what it does, not 'Continue'."""
    assert "Change my password</button>" in signed_in_client.get(reverse("password_change")).content.decode()
    assert "Send me a link</button>" in client.get(reverse("password_reset")).content.decode()
