"""Pages are sent compressed and described for search engines and link previews."""

import re

import pytest

pytestmark = pytest.mark.django_db


def test_html_is_sent_gzipped_to_browsers_that_accept_it(signed_in_client, module_one):
    response = signed_in_client.get(module_one.get_absolute_url(), HTTP_ACCEPT_ENCODING="gzip, br")
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]


@pytest.mark.parametrize(
    "url", ["/", "/accounts/login/", "/accounts/signup/", "/accounts/password_reset/", "/modules/no-such-module/"]
)
def test_every_page_has_a_meta_description(client, modules, url):
    body = client.get(url).content.decode()
    assert re.search(r'<meta name="description" content="[^"]{40,160}">', body), url


def test_signed_in_pages_have_a_meta_description(signed_in_client, module_one):
    for url in (module_one.get_absolute_url(), "/journal/", "/accounts/"):
        body = signed_in_client.get(url).content.decode()
        assert re.search(r'<meta name="description" content="[^"]{40,160}">', body), url
