from django.contrib import admin
from django.db import models

from .models import Deployment, GradeTarget, Identity, Platform, ToolKey


class DeploymentInline(admin.TabularInline):
    model = Deployment
    extra = 1


@admin.register(Platform)
class PlatformAdmin(admin.ModelAdmin):
    list_display = ["__str__", "issuer", "client_id", "created_at"]
    search_fields = ["name", "issuer", "client_id"]
    inlines = [DeploymentInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(ToolKey)
class ToolKeyAdmin(admin.ModelAdmin):
    """Keys are made by `manage.py lti_keys generate`; the admin shows them, never their private half."""

    list_display = ["kid", "created_at"]
    fields = ["kid", "public_key", "created_at"]
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(Identity)
class IdentityAdmin(admin.ModelAdmin):
    list_display = ["subject", "issuer", "user", "created_at"]
    search_fields = ["subject", "issuer", "user__email"]
    readonly_fields = ["issuer", "subject", "user", "created_at"]
    list_select_related = ["user"]


@admin.register(GradeTarget)
class GradeTargetAdmin(admin.ModelAdmin):
    list_display = ["user", "module", "lineitem_url", "score_sent_at"]
    readonly_fields = ["user", "module", "platform", "subject", "lineitem_url", "scopes", "score_sent_at"]
    list_select_related = ["user", "module"]
