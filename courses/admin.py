from django.contrib import admin

from .models import Activity, Course, Module


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class ActivityInline(ReadOnlyInline):
    model = Activity
    fields = ["position", "key", "kind", "text", "is_active"]
    ordering = ["position"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Read-only: courses and modules come from files (``import_modules``), which stay the source of truth."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Course)
class CourseAdmin(ReadOnlyAdmin):
    list_display = ["title", "slug", "position"]


@admin.register(Module)
class ModuleAdmin(ReadOnlyAdmin):
    list_display = ["number", "title", "course", "minutes", "updated_at"]
    list_filter = ["course"]
    list_select_related = ["course"]
    inlines = [ActivityInline]
