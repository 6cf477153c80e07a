from django.contrib import admin

from aar.models import AAR, AARVersion, AuditEntry, ReminderLog
from aar.services import aar_delete, aar_save


class AARVersionInline(admin.TabularInline):
    model = AARVersion
    fields = ["saved_at", "saved_by", "entered_by", "status", "answers"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(AAR)
class AARAdmin(admin.ModelAdmin):
    list_display = [
        "participant",
        "session_title",
        "status",
        "sharing",
        "submitted_at",
        "updated_at",
    ]
    list_filter = ["status", "sharing", "participant__session__organiser"]
    search_fields = ["participant__full_name", "participant__session__title"]
    raw_id_fields = ["participant"]
    list_select_related = ["participant__session"]
    inlines = [AARVersionInline]
    # The status and its time change only by the participant's submit.
    readonly_fields = ["status", "submitted_at", "question_set", "entered_by"]

    def save_model(self, request, obj, form, change):
        """Through aar_save, the one writer of AAR text: an admin's edit is kept in the
        history like anyone's, under the admin's name."""
        participant = form.cleaned_data.get("participant") or obj.participant
        data = dict(form.cleaned_data.get("answers") or {})
        data["sharing"] = form.cleaned_data["sharing"]
        saved = aar_save(
            participant=participant,
            data=data,
            submit=obj.is_submitted,
            saved_by=request.user.get_username(),
        )
        obj.pk = saved.pk

    def delete_model(self, request, obj):
        aar_delete(aar=obj)

    def delete_queryset(self, request, queryset):
        for aar in queryset:
            aar_delete(aar=aar)

    @admin.display(description="session", ordering="participant__session__title")
    def session_title(self, obj):
        return obj.participant.session.title


@admin.register(AARVersion)
class AARVersionAdmin(admin.ModelAdmin):
    """Read-only: the history is what was saved, never edited afterwards."""

    list_display = ["aar", "status", "saved_by", "saved_at"]
    list_filter = ["status"]
    search_fields = ["aar__participant__full_name", "saved_by"]
    raw_id_fields = ["aar"]
    list_select_related = ["aar__participant"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ReminderLog)
class ReminderLogAdmin(admin.ModelAdmin):
    list_display = ["participant", "channel", "sent_by", "sent_at"]
    list_filter = ["channel", "sent_at"]
    search_fields = ["participant__full_name", "participant__email"]
    raw_id_fields = ["participant"]
    list_select_related = ["participant", "sent_by"]


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: an audit log that can be edited proves nothing."""

    list_display = ["created_at", "action", "actor", "organisation", "session", "detail"]
    list_filter = ["action", "organisation"]
    list_select_related = ["actor", "organisation", "session"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
