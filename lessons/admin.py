from django.contrib import admin

from lessons.models import (
    Comment,
    CommentEvent,
    Lesson,
    LessonReuse,
    LessonSource,
    LessonStatusChange,
)


class CommentEventInline(admin.TabularInline):
    model = CommentEvent
    extra = 0
    can_delete = False
    readonly_fields = ("action", "reason", "by", "at")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    """Read-only: comments are hidden and shown by coordinators on the AAR's or lesson's page, so
    that each change is kept in its history."""

    list_display = ("__str__", "author_name", "aar", "lesson", "created_at", "hidden_at")
    list_filter = ("hidden_at",)
    list_select_related = ("aar__participant", "lesson")
    readonly_fields = (
        "aar",
        "lesson",
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


class LessonSourceInline(admin.TabularInline):
    model = LessonSource
    extra = 0
    can_delete = False
    fields = (
        "kind",
        "part",
        "session",
        "aar",
        "recommendation",
        "commitment",
        "added_by",
        "added_at",
    )
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class LessonStatusChangeInline(admin.TabularInline):
    model = LessonStatusChange
    extra = 0
    can_delete = False
    fields = (
        "from_status",
        "to_status",
        "reason",
        "evidence",
        "evidence_url",
        "changed_by",
        "changed_at",
    )
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class LessonReuseInline(admin.TabularInline):
    model = LessonReuse
    extra = 0
    can_delete = False
    fields = ("session", "note", "noted_by", "noted_at")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Lesson)
class LessonAdmin(admin.ModelAdmin):
    """Read-only: lessons are made, moved and reused on their own pages
    (``lessons.lessons``), so that every change of status keeps who, when and why."""

    list_display = ("title", "organisation", "status", "owner", "updated_at")
    list_filter = ("status", "organisation")
    list_select_related = ("organisation", "owner")
    search_fields = ("title", "statement")
    readonly_fields = (
        "organisation",
        "title",
        "statement",
        "owner",
        "status",
        "created_by",
        "created_at",
        "updated_at",
    )
    inlines = [LessonSourceInline, LessonStatusChangeInline, LessonReuseInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
