"""The only ways to reach a learner's private writing. Every lookup is scoped to
the learner who asks; anything else is indistinguishable from "not there"."""

from django.http import Http404

from accounts.models import User
from courses.models import Prompt

from .models import Reflection, ReflectionQuerySet, ReflectionVersion


def reflection_for_learner(*, learner: User, prompt: Prompt) -> Reflection | None:
    if not learner.is_authenticated:
        return None
    return Reflection.objects.filter(learner=learner, prompt=prompt).first()


def reflections_of_learner(*, learner: User) -> ReflectionQuerySet:
    return Reflection.objects.of_learner(learner).order_by("-updated_at")


def version_for_learner(*, learner: User, prompt: Prompt, version_id: int) -> ReflectionVersion:
    try:
        return ReflectionVersion.objects.select_related("reflection").get(
            pk=version_id, reflection__learner=learner, reflection__prompt=prompt
        )
    except ReflectionVersion.DoesNotExist:
        raise Http404 from None
