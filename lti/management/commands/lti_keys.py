"""manage.py lti_keys generate|list: the tool's RSA key pair, published at /lti/jwks.json."""

from django.core.management.base import BaseCommand

from lti.models import ToolKey
from lti.services import tool_key_generate


class Command(BaseCommand):
    help = "Generate the tool's signing key (the newest signs; older ones stay published), or list the keys."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["generate", "list"])

    def handle(self, *args, action: str, **options):
        if action == "generate":
            key = tool_key_generate()
            self.stdout.write(f"generated key {key.kid}")
            return
        for key in ToolKey.objects.order_by("created_at"):
            self.stdout.write(f"{key.kid}\t{key.created_at:%Y-%m-%d %H:%M}")
