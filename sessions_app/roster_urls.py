"""Roster, personal links and walk-in routes (same namespace: sessions_app)."""

from django.urls import path

from sessions_app import bulk_views, link_views, roster_views, walkin_views

roster_urlpatterns = [
    path(
        "sessions/<int:pk>/participants/add/",
        roster_views.participant_add,
        name="participant_add",
    ),
    path(
        "sessions/<int:pk>/participants/bulk/",
        bulk_views.participant_bulk_add,
        name="participant_bulk_add",
    ),
    path(
        "sessions/<int:pk>/participants/<int:participant_pk>/edit/",
        roster_views.participant_edit,
        name="participant_edit",
    ),
    path(
        "sessions/<int:pk>/participants/<int:participant_pk>/remove/",
        roster_views.participant_remove,
        name="participant_remove",
    ),
    path(
        "sessions/<int:pk>/participants/<int:participant_pk>/link/",
        link_views.participant_link,
        name="participant_link",
    ),
    path(
        "sessions/<int:pk>/participants/<int:participant_pk>/qr.svg",
        link_views.participant_qr,
        name="participant_qr",
    ),
    path(
        "sessions/<int:pk>/participants/<int:participant_pk>/invite/",
        link_views.participant_invite,
        name="participant_invite",
    ),
    path(
        "sessions/<int:pk>/participants/<int:participant_pk>/regenerate/",
        link_views.participant_regenerate,
        name="participant_regenerate",
    ),
    path("sessions/<int:pk>/links/", link_views.participant_links, name="participant_links"),
    path(
        "sessions/<int:pk>/invite-all/",
        link_views.participants_invite_all,
        name="participants_invite_all",
    ),
    path("sessions/<int:pk>/walkin/", walkin_views.walkin_screen, name="walkin_screen"),
    path(
        "sessions/<int:pk>/walkin/projector/",
        walkin_views.walkin_projector,
        name="walkin_projector",
    ),
    path("sessions/<int:pk>/walkin/qr.svg", walkin_views.walkin_qr, name="walkin_qr"),
    path("sessions/<int:pk>/walkin/toggle/", walkin_views.walkin_toggle, name="walkin_toggle"),
    path("join/<str:code>/", walkin_views.walkin_join, name="walkin_join"),
]
