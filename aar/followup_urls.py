from django.urls import path

from aar import audit_views, privacy_views
from aar import followup_views as views

app_name = "followup"

# /followup/ is a public address that never changes.
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("export.<str:format>", views.dashboard_export, name="dashboard_export"),
    path("audit/", audit_views.audit_log, name="audit"),
    path("sessions/<int:pk>/", views.session_followup, name="session"),
    path("sessions/<int:pk>/remind/", views.remind_all, name="remind_all"),
    path(
        "sessions/<int:pk>/participants/<int:participant_pk>/remind/",
        views.remind_one,
        name="remind_one",
    ),
    path(
        "sessions/<int:pk>/participants/<int:participant_pk>/copied/",
        views.reminder_copied,
        name="reminder_copied",
    ),
    path(
        "sessions/<int:pk>/participants/<int:participant_pk>/erase/",
        privacy_views.participant_confirm_erase,
        name="participant_erase",
    ),
    path("sessions/<int:pk>/synthesis/", views.synthesis, name="synthesis"),
    path("sessions/<int:pk>/export.<str:format>", views.session_export, name="session_export"),
    path("sessions/<int:pk>/blog/", views.session_blog_page, name="session_blog_page"),
    path("sessions/<int:pk>/blog.<str:kind>", views.session_blog_download, name="session_blog"),
    path(
        "sessions/<int:pk>/participants/<int:participant_pk>/blog/",
        views.aar_blog_page,
        name="aar_blog_page",
    ),
    path(
        "sessions/<int:pk>/participants/<int:participant_pk>/blog.<str:kind>",
        views.aar_blog_download,
        name="aar_blog",
    ),
]
