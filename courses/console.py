"""The owner's console for content: upload module and scenario files, preview, publish (staff only)."""

from pathlib import Path

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from .selectors import lesson_uncached
from .uploads import UploadRefused, preview_page, upload_preview, upload_publish, upload_stage
from .views import module_page


def _errors(result, token: str) -> list[str]:
    """The importer's file:line errors, naming the uploaded file rather than the staging folder."""
    lines = []
    for error in result.errors:
        error.path = Path(error.path).name if error.path else ""
        lines.append(str(error))
    return lines


@never_cache
@staff_member_required
def content_upload(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        try:
            token = upload_stage(request.FILES.getlist("files"))
        except UploadRefused as error:
            return render(request, "courses/console_upload.html", {"error": str(error)}, status=400)
        return redirect("courses:console-content-preview", token=token)
    return render(request, "courses/console_upload.html", {})


@never_cache
@staff_member_required
def content_preview(request: HttpRequest, token: str) -> HttpResponse:
    def draw(module) -> str:
        lesson = lesson_uncached(course=module.course.slug, slug=module.slug)
        return module_page(request, lesson).content.decode()

    try:
        preview = upload_preview(token, draw)
    except UploadRefused as error:
        return render(request, "courses/console_upload.html", {"error": str(error)}, status=404)
    context = {"preview": preview, "errors": _errors(preview.result, token)}
    return render(request, "courses/console_preview.html", context, status=200 if preview.result.ok else 400)


@never_cache
@staff_member_required
def content_preview_page(request: HttpRequest, token: str, name: str) -> HttpResponse:
    try:
        return HttpResponse(preview_page(token, name))
    except UploadRefused:
        raise Http404 from None


@staff_member_required
@require_POST
def content_publish(request: HttpRequest, token: str) -> HttpResponse:
    try:
        result = upload_publish(token)
    except UploadRefused as error:
        return render(request, "courses/console_upload.html", {"error": str(error)}, status=404)
    if not result.ok:  # the content changed since the preview: say what is wrong now
        context = {"error": "; ".join(_errors(result, token))}
        return render(request, "courses/console_upload.html", context, status=400)
    messages.success(
        request,
        f"Published: {len(result.created)} new, {len(result.updated)} updated, {len(result.unchanged)} unchanged.",
    )
    return redirect("courses:home")
