"""Site-wide pages that belong to no app: why a form post was refused."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: explain in the site's layout and lead back to the page the form was on."""
    referer = request.headers.get("Referer", "")
    same_site = url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    retry_url = referer if referer and same_site else reverse("courses:home")
    return render(request, "403_csrf.html", {"retry_url": retry_url}, status=403)
