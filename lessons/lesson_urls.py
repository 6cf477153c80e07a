"""/lessons/library/…: lessons with a life (issue 19)."""

from django.urls import path

from lessons import lesson_views

urlpatterns = [
    path("library/", lesson_views.lesson_list, name="lesson_list"),
    path("library/new/", lesson_views.lesson_new, name="lesson_new"),
    path("library/<int:lesson_pk>/", lesson_views.lesson_detail, name="lesson_detail"),
    path("library/<int:lesson_pk>/edit/", lesson_views.lesson_edit, name="lesson_edit"),
    path("library/<int:lesson_pk>/status/", lesson_views.lesson_move, name="lesson_move"),
    path("library/<int:lesson_pk>/reuse/", lesson_views.lesson_reuse_add, name="lesson_reuse_add"),
    path(
        "library/<int:lesson_pk>/reuse/<int:session_pk>/remove/",
        lesson_views.lesson_reuse_remove,
        name="lesson_reuse_remove",
    ),
]
