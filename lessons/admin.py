from django.contrib import admin

from lessons.models import Comment, CommentEvent


class CommentEventInline(admin.TabularInline):
    model = CommentEvent
    extra = 0
    can_delete = False
    readonly_fields = ("action", "reason", "by", "at")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    """Read-only: comments are hidden and shown by coordinators on the AAR's page, so
    that each change is kept in its history."""

    list_display = ("__str__", "author_name", "aar", "created_at", "hidden_at")
    list_filter = ("hidden_at",)
    list_select_related = ("aar__participant",)
    readonly_fields = (
        "aar",
        "author",
        "author_participant",
        "author_name",
        "text",
        "created_at",
        "hidden_at",
        "hidden_by",
    )
    inlines = [CommentEventInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
