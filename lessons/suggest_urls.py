"""Issue 19's suggest pages: "has this been solved before?" and the peer finder."""

from django.urls import path

from lessons import suggest_views

urlpatterns = [
    path("solved-before/", suggest_views.solved_before, name="solved_before"),
    path("peers/", suggest_views.peer_finder, name="peer_finder"),
]
