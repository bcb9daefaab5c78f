from django.contrib import admin

from .models import Cohort, Invite, Membership


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["user"]


class InviteInline(admin.TabularInline):
    model = Invite
    extra = 0
    readonly_fields = ["token", "used"]


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ["name", "course", "created_at"]
    list_filter = ["course"]
    inlines = [MembershipInline, InviteInline]
