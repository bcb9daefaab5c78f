"""The harness's database side, run as ``python -m bench.db <command>`` under bench.settings.

``learners``: create signed-in learners (a session and a CSRF token each) for wrk.
``verify``: compare the saves that wrk saw confirmed with what the database holds.
``modules``: write generated module files for the import timing.
``cohort``: a facilitator and a cohort of N learners with progress and writing in every module.
"""

import json
import sys
from importlib import import_module
from pathlib import Path

import django


def create_learners(count: int, out: Path) -> str:
    """One line per learner: ``index prompt_id sessionid csrftoken``, for the wrk scripts.

    Returns the URL of the module the prompt belongs to.
    """
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.hashers import make_password
    from django.middleware.csrf import CSRF_ALLOWED_CHARS
    from django.utils.crypto import get_random_string

    from accounts.models import User
    from courses.models import Activity

    prompt = (
        Activity.objects.filter(is_active=True, kind="reflection")
        .select_related("module__course")
        .order_by("module__number", "position")
        .first()
    )
    users = User.objects.bulk_create(
        User(email=f"bench{index}@example.com", password=make_password(None)) for index in range(count)
    )
    session_store = import_module(settings.SESSION_ENGINE).SessionStore
    lines = []
    for index, user in enumerate(users):
        session = session_store()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        csrf = get_random_string(32, CSRF_ALLOWED_CHARS)
        lines.append(f"{index} {prompt.pk} {session.session_key} {csrf}\n")
    out.write_text("".join(lines))
    return prompt.module.get_absolute_url()


def verify_saves(result_file: Path) -> dict:
    """Every save confirmed to wrk must be in the database, with its text.

    Each learner is driven by one connection at a time, so the stored revision is
    at least the last confirmed one (higher only if a reply was lost in flight).
    """
    from reflections.models import Reflection

    confirmed = json.loads(result_file.read_text())["learners"]
    stored = {
        int(email.removeprefix("bench").split("@")[0]): (revision, text)
        for email, revision, text in Reflection.objects.filter(learner__email__startswith="bench").values_list(
            "learner__email", "revision", "text"
        )
    }
    lost = corrupt = 0
    for index, (_count, last_revision) in confirmed.items():
        revision, text = stored.get(int(index), (0, ""))
        lost += max(0, last_revision - revision)
        corrupt += revision > 0 and not text.startswith(f"[bench {index} {revision}]")
    saved = sum(revision for revision, _ in stored.values())
    total = sum(count for count, _ in confirmed.values())
    return {"confirmed": total, "stored_revisions": saved, "lost": lost, "corrupt": int(corrupt)}


def write_modules(directory: Path, count: int) -> None:
    """``count`` plain-text modules the size of Module 1 (about 700 words, three sections)."""
    from testing.factories import module_text

    directory.mkdir(parents=True, exist_ok=True)
    paragraph = " ".join(["Ask what the number is meant to achieve before you answer it with one of your own."] * 6)
    for number in range(1, count + 1):
        body = "\n".join(f"{paragraph}\nSection {section} of module {number}\n{paragraph}" for section in range(3))
        text = module_text(
            header=f"Module {number} · ~9 min",
            title=f"Generated Module {number} · Practice Round {number}",
            body=body + f"\n{paragraph}",
        )
        (directory / f"module-{number:04d}.txt").write_text(text, encoding="utf-8")


def create_cohort(size: int) -> dict:
    """A cohort of ``size`` learners over every imported module: each learner opened most modules,
    completed some and wrote most reflections. Returns the facilitator's session and the dashboard URL."""
    import random
    from datetime import timedelta

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from accounts.models import User
    from cohorts.models import Membership, Role
    from cohorts.services import cohort_create
    from courses.models import Activity, Course, Module
    from progress.models import ModuleProgress
    from reflections.models import Reflection

    rng = random.Random(7)
    course = Course.objects.get()
    modules = list(Module.objects.filter(course=course).order_by("number"))
    prompts = list(Activity.objects.filter(module__course=course, kind="reflection", is_active=True))
    coach = User.objects.create(email="coach@bench.example.com", password=make_password(None))
    cohort, _ = cohort_create(name="Bench cohort", course=course, facilitators=[coach])
    learners = User.objects.bulk_create(
        User(email=f"member{index}@example.com", password=make_password(None)) for index in range(size)
    )
    Membership.objects.bulk_create(Membership(cohort=cohort, user=u, role=Role.LEARNER) for u in learners)
    now = timezone.now()
    progress, writing = [], []
    for learner in learners:
        for module in modules:
            if rng.random() < 0.8:
                started = now - timedelta(days=rng.randint(1, 50))
                done = started + timedelta(days=rng.randint(0, 5)) if rng.random() < 0.6 else None
                progress.append(ModuleProgress(learner=learner, module=module, started_at=started,
                                               last_seen_at=done or started, completed_at=done))  # fmt: skip
        for prompt in prompts:
            if rng.random() < 0.7:
                text = "I asked about the budget before answering the number. " * rng.randint(1, 6)
                writing.append(Reflection(learner=learner, activity=prompt, text=text, revision=1,
                                          word_count=len(text.split()), updated_at=now))  # fmt: skip
    ModuleProgress.objects.bulk_create(progress, batch_size=2000)
    Reflection.objects.bulk_create(writing, batch_size=2000)
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(coach.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = coach.get_session_auth_hash()
    session.create()
    return {"session": session.session_key, "url": cohort.get_absolute_url(), "modules": len(modules)}


def main(argv: list[str]) -> None:
    django.setup()
    command, *args = argv
    if command == "learners":
        print(json.dumps({"module_url": create_learners(int(args[0]), Path(args[1]))}))
    elif command == "verify":
        print(json.dumps(verify_saves(Path(args[0]))))
    elif command == "modules":
        write_modules(Path(args[0]), int(args[1]))
    elif command == "cohort":
        print(json.dumps(create_cohort(int(args[0]))))
    else:
        raise SystemExit(f"unknown command {command!r}")


if __name__ == "__main__":
    main(sys.argv[1:])
