"""The admin writes sessions and people through the same functions as the site, so the
follow-up counts (``sessions_app.tally``) stay true."""

from django.contrib import admin

from sessions_app import roster_services, tally
from sessions_app.models import AssistSession, Membership, Organisation, Participant
from sessions_app.signals import session_deleting, session_moving


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
    readonly_fields = ["invited_at"]  # set by sending the invitation
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

    def save_model(self, request, obj, form, change):
        if not change:
            obj.save()
            tally.session_added(obj)
            return
        deadline = obj.aar_deadline or obj.default_deadline(obj.date)
        tally.session_moved(obj.pk, organiser_id=obj.organiser_id, deadline=deadline)
        session_moving.send(
            sender=AssistSession, session_id=obj.pk, organiser_id=obj.organiser_id, date=obj.date
        )
        obj.save()

    def save_formset(self, request, form, formset, change):
        """New people through ``participant_add``, removals through ``remove`` (which
        keeps anyone who has written an AAR, marked removed)."""
        people = formset.save(commit=False)
        for person in formset.deleted_objects:
            person.remove()
        changed = {person.pk: fields for person, fields in formset.changed_objects}
        for person in people:
            if person.pk is None:
                person.session = form.instance
                roster_services.participant_add(participant=person)
            else:
                roster_services.participant_update(
                    participant=person, role_changed="role" in changed.get(person.pk, ())
                )

    def delete_model(self, request, obj):
        tally.session_forgotten(obj.pk)
        session_deleting.send(sender=AssistSession, session_id=obj.pk)
        obj.delete()

    def delete_queryset(self, request, queryset):
        for session in queryset:
            self.delete_model(request, session)


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
    readonly_fields = ["token", "created_at", "invited_at", "removed_at", "erased_at"]

    def get_readonly_fields(self, request, obj=None):
        # A person stays in the session they were added to (the counts are the session's).
        return [*self.readonly_fields, "session"] if obj else self.readonly_fields

    def save_model(self, request, obj, form, change):
        if change:
            roster_services.participant_update(
                participant=obj, role_changed="role" in form.changed_data
            )
        else:
            roster_services.participant_add(participant=obj)

    def delete_model(self, request, obj):
        """As on the roster page: deleted, or only marked removed if they wrote an AAR."""
        obj.remove()

    def delete_queryset(self, request, queryset):
        for person in queryset:
            person.remove()
