"""Roster, personal links and walk-in routes (same namespace: sessions_app)."""

from django.urls import path

from sessions_app import roster_views

roster_urlpatterns = [
    path("join/<str:code>/", roster_views.walkin_join, name="walkin_join"),
]
