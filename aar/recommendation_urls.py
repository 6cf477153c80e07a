"""Routes of peers' recommendations and the host's responses (issue 17), appended to the
"followup" namespace under /followup/."""

from django.urls import path

from aar import recommendation_views as views

_ONE = "sessions/<int:pk>/recommendations/<int:recommendation_pk>/"

urlpatterns = [
    path("sessions/<int:pk>/recommendations/", views.recommendations, name="recommendations"),
    path(
        "sessions/<int:pk>/recommendations/paste/",
        views.recommendations_bulk,
        name="recommendations_bulk",
    ),
    path(_ONE + "edit/", views.recommendation_edit, name="recommendation_edit"),
    path(_ONE + "move/", views.recommendation_move, name="recommendation_move"),
    path(_ONE + "remove/", views.recommendation_remove, name="recommendation_remove"),
    path(_ONE + "restore/", views.recommendation_restore, name="recommendation_restore"),
    path(_ONE + "response/", views.recommendation_response, name="recommendation_response"),
]
