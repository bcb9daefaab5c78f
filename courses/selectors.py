from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Max
from django.http import Http404

from .models import Module, Prompt

LESSON_CACHE_SECONDS = 60 * 60
# How long a process trusts its last look at the content version. The importer
# clears it in its own process; other app servers see new content within this.
CONTENT_VERSION_SECONDS = 5
CONTENT_VERSION_KEY = "courses:content-version"


@dataclass(frozen=True)
class Lesson:
    """Everything on a lesson page that is the same for every learner."""

    module: Module
    prompt: Prompt | None
    previous: Module | None
    next: Module | None


def course_outline() -> list[Module]:
    return list(Module.objects.outline())


def content_version() -> str:
    """Changes whenever the importer creates or changes a module (it never deletes one)."""
    return cache.get_or_set(CONTENT_VERSION_KEY, _newest_change, CONTENT_VERSION_SECONDS)


def _newest_change() -> str:
    newest = Module.objects.aggregate(newest=Max("updated_at"))["newest"]
    return newest.isoformat() if newest else "empty"


def lesson_for_slug(*, slug: str) -> Lesson:
    """The lesson, from the cache when the content has not changed since it was built.

    At most one query (the content version, itself cached for a few seconds)
    instead of four; with several app servers the key tells every process when
    its copy is stale.
    """
    key = f"lesson:{content_version()}:{slug}"
    lesson = cache.get(key)
    if lesson is None:
        lesson = _build_lesson(slug)
        cache.set(key, lesson, LESSON_CACHE_SECONDS)
    return lesson


def _build_lesson(slug: str) -> Lesson:
    module = module_for_lesson(slug=slug)
    outline = Module.objects.only("number", "slug", "title")
    return Lesson(
        module=module,
        prompt=next(iter(module.prompts.all()), None),
        previous=outline.filter(number__lt=module.number).order_by("-number").first(),
        next=outline.filter(number__gt=module.number).order_by("number").first(),
    )


def module_for_lesson(*, slug: str) -> Module:
    try:
        return Module.objects.for_lesson().get(slug=slug)
    except Module.DoesNotExist:
        raise Http404 from None


def active_prompt(*, prompt_id: int) -> Prompt:
    """A prompt shown in its module (with the module), cached like lessons: every save looks one up."""
    key = f"prompt:{content_version()}:{prompt_id}"
    prompt = cache.get(key)
    if prompt is None:
        try:
            prompt = Prompt.objects.select_related("module").get(pk=prompt_id, is_active=True)
        except Prompt.DoesNotExist:
            raise Http404 from None
        cache.set(key, prompt, LESSON_CACHE_SECONDS)
    return prompt
