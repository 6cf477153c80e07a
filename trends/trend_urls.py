"""/followup/trends/: trends over time, the organisations side by side, and their
exports (issue 20). Included by ``trends.urls`` (app_name "trends")."""

from django.urls import path, register_converter

from aar.converters import ExportFormatConverter
from trends import views

# /followup/'s export converter (an unknown format is a 404) under a name of its own:
# registering "export_format" again, whichever module loads first, is deprecated.
register_converter(ExportFormatConverter, "trend_export_format")

urlpatterns = [
    path("", views.trends, name="trends"),
    path("export.<trend_export_format:format>", views.trends_export, name="trends_export"),
    path("organisations/", views.compare, name="compare"),
    path(
        "organisations/export.<trend_export_format:format>",
        views.compare_export,
        name="compare_export",
    ),
    path("organisations/<int:organisation_pk>/", views.organisation_trends, name="organisation"),
]
