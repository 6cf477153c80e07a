"""Routes: before the session, through the personal link (issue 17)."""

from django.urls import path

from aar import before_views

urlpatterns = [
    path("<str:token>/before/", before_views.before, name="before"),
]
