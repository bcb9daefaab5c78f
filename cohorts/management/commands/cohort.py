"""manage.py cohort create NAME --course SLUG --facilitator EMAIL [...] | cohort list"""

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count, Q
from django.utils import timezone

from accounts.models import User
from cohorts.models import Cohort, Role
from cohorts.services import cohort_create
from courses.models import Course


class Command(BaseCommand):
    help = "Create cohorts (printing their invite and dashboard links) and list them."

    def add_arguments(self, parser):
        parser.add_argument(
            "--base-url", default="http://127.0.0.1:8000", help="the site's address, for the links printed"
        )
        commands = parser.add_subparsers(dest="action", required=True)
        create = commands.add_parser("create", help="a cohort of a course, with its facilitators and an invite link")
        create.add_argument("name")
        create.add_argument("--course", required=True, help="the course's slug")
        create.add_argument("--facilitator", action="append", default=[], help="an account's email (repeatable)")
        create.add_argument("--expires-in-days", type=int, help="the invite link expires after this many days")
        create.add_argument("--seats", type=int, help="how many learners may join through the invite link")
        commands.add_parser("list", help="every cohort with its numbers and links")

    def handle(self, *args, action: str, base_url: str, **options):
        base = base_url.rstrip("/")
        if action == "create":
            self._create(base, **options)
        else:
            self._list(base)

    def _create(self, base: str, *, name, course, facilitator, expires_in_days, seats, **_):
        found = Course.objects.filter(slug=course).first()
        if found is None:
            slugs = ", ".join(Course.objects.values_list("slug", flat=True)) or "none imported"
            raise CommandError(f"no course {course!r} (courses: {slugs})")
        emails = [email.strip().lower() for email in facilitator]
        users = {u.email: u for u in User.objects.filter(email__in=emails)}
        if missing := [email for email in emails if email not in users]:
            raise CommandError(f"no account uses {', '.join(missing)}: they sign up first")
        if expires_in_days is not None and expires_in_days < 1 or seats is not None and seats < 1:
            raise CommandError("--expires-in-days and --seats are whole numbers from 1")
        if not name.strip():
            raise CommandError("the cohort needs a name")
        expires_at = timezone.now() + timezone.timedelta(days=expires_in_days) if expires_in_days else None
        cohort, invite = cohort_create(
            name=name, course=found, facilitators=[users[e] for e in emails], expires_at=expires_at, seats=seats
        )
        self.stdout.write(f"cohort {cohort.pk}: {cohort.name} ({found.slug})")
        self.stdout.write(f"invite link: {base}{invite.get_absolute_url()}")
        self.stdout.write(f"dashboard: {base}{cohort.get_absolute_url()}")

    def _list(self, base: str):
        cohorts = Cohort.objects.select_related("course").annotate(
            learners=Count("memberships", filter=Q(memberships__role=Role.LEARNER)),
            facilitators=Count("memberships", filter=Q(memberships__role=Role.FACILITATOR)),
        )
        for cohort in cohorts.order_by("pk"):
            self.stdout.write(
                f"{cohort.pk}\t{cohort.name}\t{cohort.course.slug}\t{cohort.learners} learners\t"
                f"{cohort.facilitators} facilitators\t{base}{cohort.get_absolute_url()}"
            )
            for invite in cohort.invites.all():
                state = invite.unusable_because() or "open"
                self.stdout.write(f"\tinvite {base}{invite.get_absolute_url()}\t{invite.used} joined\t{state}")
        if not cohorts:
            self.stdout.write("no cohorts")
