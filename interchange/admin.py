from django.contrib import admin

from .models import Statement


@admin.register(Statement)
class StatementAdmin(admin.ModelAdmin):
    """The xAPI outbox, read-only: what waits, what was sent, what the LRS refused and why."""

    list_display = ["id", "status", "created_at", "attempts", "send_after", "sent_at", "last_error"]
    list_filter = ["status"]
    date_hierarchy = "created_at"
    fields = ["id", "learner", "status", "created_at", "send_after", "attempts", "sent_at", "last_error", "payload"]
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
