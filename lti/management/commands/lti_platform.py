"""manage.py lti_platform add|list: register the learning systems that may launch the course."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import URLValidator

from lti.models import Platform
from lti.services import platform_add


class Command(BaseCommand):
    help = "Register an LTI 1.3 platform (add, or update the one with the same issuer and client ID), or list them."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        add = actions.add_parser("add", help="register a platform")
        add.add_argument("--issuer", required=True)
        add.add_argument("--client-id", required=True)
        add.add_argument("--deployment-id", action="append", default=[], help="repeat for several deployments")
        add.add_argument("--login-url", required=True, help="the platform's OIDC authentication request URL")
        add.add_argument("--token-url", required=True, help="the platform's OAuth2 access token URL")
        add.add_argument("--jwks-url", required=True, help="the platform's public keyset URL")
        add.add_argument("--name", default="")
        actions.add_parser("list", help="list registered platforms")

    def handle(self, *args, action: str, **options):
        if action == "list":
            for platform in Platform.objects.prefetch_related("deployments").order_by("issuer", "client_id"):
                deployments = ", ".join(d.deployment_id for d in platform.deployments.all()) or "-"
                self.stdout.write(f"{platform.issuer}\t{platform.client_id}\t{deployments}\t{platform.name}")
            return
        urls = {"auth_login_url": "login_url", "auth_token_url": "token_url", "key_set_url": "jwks_url"}
        for option in urls.values():
            try:
                URLValidator(schemes=["https", "http"])(options[option])
            except ValidationError as error:
                raise CommandError(f"--{option.replace('_', '-')}: not a URL: {options[option]!r}") from error
        platform = platform_add(
            issuer=options["issuer"],
            client_id=options["client_id"],
            deployment_ids=options["deployment_id"],
            name=options["name"],
            **{field: options[option] for field, option in urls.items()},
        )
        self.stdout.write(f"registered {platform} with {platform.deployments.count()} deployment(s)")
