from django.contrib import admin

from sessions_app.models import AssistSession, Membership, Organisation, Participant


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "short_name", "website"]
    search_fields = ["name", "name_en", "short_name"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "role", "created_at"]
    list_filter = ["role", "organisation"]
    search_fields = ["user__username", "user__email", "organisation__name"]
    autocomplete_fields = ["organisation"]
    list_select_related = ["user", "organisation"]


class ParticipantInline(admin.TabularInline):
    model = Participant
    fields = ["full_name", "email", "organisation", "role", "language", "invited_at"]
    autocomplete_fields = ["organisation"]
    extra = 0


@admin.register(AssistSession)
class AssistSessionAdmin(admin.ModelAdmin):
    list_display = ["title", "date", "organiser", "host", "facilitator", "status", "aar_deadline"]
    list_filter = ["status", "organiser", "date"]
    search_fields = ["title", "purpose", "host__name", "host__short_name"]
    date_hierarchy = "date"
    autocomplete_fields = ["organiser", "host", "peers"]
    list_select_related = ["organiser", "host", "facilitator"]
    readonly_fields = ["walkin_code", "created_at", "updated_at"]
    inlines = [ParticipantInline]


@admin.register(Participant)
class ParticipantAdmin(admin.ModelAdmin):
    list_display = [
        "full_name",
        "email",
        "session",
        "organisation",
        "role",
        "language",
        "invited_at",
    ]
    list_filter = ["role", "language", "session__organiser"]
    search_fields = ["full_name", "email", "session__title"]
    autocomplete_fields = ["organisation"]
    raw_id_fields = ["session"]
    list_select_related = ["session", "organisation"]
    readonly_fields = ["token", "created_at"]
