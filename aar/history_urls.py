from django.urls import path

from aar import history_views

app_name = "history"

# An AAR's earlier versions, under the session it belongs to (the same address as ever).
urlpatterns = [
    path(
        "sessions/<int:pk>/participants/<int:participant_pk>/history/",
        history_views.aar_history,
        name="aar",
    ),
    path(
        "sessions/<int:pk>/participants/<int:participant_pk>/history/<int:version_pk>/restore/",
        history_views.aar_restore_version,
        name="restore",
    ),
]
