"""The harness's database side, run as ``python -m bench.db <command>`` under bench.settings.

``learners``: create signed-in learners (a session and a CSRF token each) for wrk.
``verify``: compare the saves that wrk saw confirmed with what the database holds.
``modules``: write generated module files for the import timing.
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


def main(argv: list[str]) -> None:
    django.setup()
    command, *args = argv
    if command == "learners":
        print(json.dumps({"module_url": create_learners(int(args[0]), Path(args[1]))}))
    elif command == "verify":
        print(json.dumps(verify_saves(Path(args[0]))))
    elif command == "modules":
        write_modules(Path(args[0]), int(args[1]))
    else:
        raise SystemExit(f"unknown command {command!r}")


if __name__ == "__main__":
    main(sys.argv[1:])
