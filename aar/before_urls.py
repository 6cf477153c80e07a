"""Routes: before the session, and the host team's responses to the recommendations,
through the personal link (issue 17)."""

from django.urls import path

from aar import before_views, host_response_views

urlpatterns = [
    path("<str:token>/before/", before_views.before, name="before"),
    path(
        "<str:token>/recommendations/",
        host_response_views.host_responses,
        name="host_responses",
    ),
    path(
        "<str:token>/recommendations/<int:recommendation_pk>/",
        host_response_views.host_response,
        name="host_response",
    ),
]
