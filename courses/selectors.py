from django.http import Http404

from .models import Module, Prompt


def course_outline() -> list[Module]:
    return list(Module.objects.outline())


def module_for_lesson(*, slug: str) -> Module:
    try:
        return Module.objects.for_lesson().get(slug=slug)
    except Module.DoesNotExist:
        raise Http404 from None


def active_prompt(*, prompt_id: int) -> Prompt:
    try:
        return Prompt.objects.select_related("module").get(pk=prompt_id, is_active=True)
    except Prompt.DoesNotExist:
        raise Http404 from None


def module_neighbours(*, module: Module) -> tuple[Module | None, Module | None]:
    outline = Module.objects.only("number", "slug", "title")
    previous = outline.filter(number__lt=module.number).order_by("-number").first()
    following = outline.filter(number__gt=module.number).order_by("number").first()
    return previous, following
