from django.contrib import admin

from .models import Module, Prompt


class PromptInline(admin.TabularInline):
    model = Prompt
    fields = ["key", "text", "is_active"]
    readonly_fields = ["key", "text", "is_active"]
    extra = 0
    can_delete = False


@admin.register(Module)
class ModuleAdmin(admin.ModelAdmin):
    """Read-only: modules come from files (``import_modules``), which stay the source of truth."""

    list_display = ["number", "title", "subtitle", "minutes", "updated_at"]
    inlines = [PromptInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
