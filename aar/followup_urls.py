from django.urls import path, register_converter

from aar import (
    audit_views,
    dashboard_views,
    followup_views,
    method_review_urls,
    on_behalf_urls,
    outcomes_views,
    privacy_views,
    question_set_urls,
    recommendation_urls,
    reminder_views,
    synthesis_views,
)
from aar.converters import BlogKindConverter, ExportFormatConverter

register_converter(ExportFormatConverter, "export_format")
register_converter(BlogKindConverter, "blog_kind")

app_name = "followup"

# /followup/ is a public address that never changes.
urlpatterns = [
    path("", dashboard_views.dashboard, name="dashboard"),
    path(
        "export.<export_format:format>", dashboard_views.dashboard_export, name="dashboard_export"
    ),
    path("outcomes/", outcomes_views.outcomes, name="outcomes"),
    path(
        "outcomes/export.<export_format:format>",
        outcomes_views.outcomes_export,
        name="outcomes_export",
    ),
    path("audit/", audit_views.audit_log, name="audit"),
    path("sessions/<int:pk>/", followup_views.session_followup, name="session"),
    path("sessions/<int:pk>/remind/", reminder_views.remind_all, name="remind_all"),
    path(
        "sessions/<int:pk>/participants/<int:participant_pk>/remind/",
        reminder_views.remind_one,
        name="remind_one",
    ),
    path(
        "sessions/<int:pk>/participants/<int:participant_pk>/copied/",
        reminder_views.reminder_copied,
        name="reminder_copied",
    ),
    path(
        "sessions/<int:pk>/participants/<int:participant_pk>/erase/",
        privacy_views.participant_confirm_erase,
        name="participant_erase",
    ),
    path("sessions/<int:pk>/synthesis/", synthesis_views.synthesis, name="synthesis"),
    path(
        "sessions/<int:pk>/recommendations/export.<export_format:format>",
        synthesis_views.recommendations_export,
        name="recommendations_export",
    ),
    path(
        "sessions/<int:pk>/export.<export_format:format>",
        synthesis_views.session_export,
        name="session_export",
    ),
    path("sessions/<int:pk>/blog/", synthesis_views.session_blog_page, name="session_blog_page"),
    path(
        "sessions/<int:pk>/blog.<blog_kind:kind>",
        synthesis_views.session_blog_download,
        name="session_blog",
    ),
    path(
        "sessions/<int:pk>/participants/<int:participant_pk>/blog/",
        synthesis_views.aar_blog_page,
        name="aar_blog_page",
    ),
    path(
        "sessions/<int:pk>/participants/<int:participant_pk>/blog.<blog_kind:kind>",
        synthesis_views.aar_blog_download,
        name="aar_blog",
    ),
]

# The Peer Assist's own steps (issue 17), each in its own module.
urlpatterns += (
    recommendation_urls.urlpatterns
    + method_review_urls.urlpatterns
    + question_set_urls.urlpatterns
    + on_behalf_urls.urlpatterns
)
