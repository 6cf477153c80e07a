"""Routes: question sets (issue 17, item 6), in the "followup" namespace."""

from django.urls import path

from aar import question_set_views

urlpatterns = [
    path("question-sets/", question_set_views.question_set_list, name="question_sets"),
    path(
        "question-sets/new/",
        question_set_views.question_set_create_view,
        name="question_set_create",
    ),
    path(
        "question-sets/<int:pk>/edit/",
        question_set_views.question_set_edit,
        name="question_set_edit",
    ),
    path(
        "question-sets/<int:pk>/delete/",
        question_set_views.question_set_delete_view,
        name="question_set_delete",
    ),
    path(
        "sessions/<int:pk>/question-set/",
        question_set_views.session_question_set_choose,
        name="session_question_set",
    ),
]
