from django.urls import path

from sessions_app import views
from sessions_app.roster_urls import roster_urlpatterns

app_name = "sessions_app"

urlpatterns = [
    path("", views.home, name="home"),
    path("sessions/new/", views.session_create, name="session_create"),
    # The step out of the session form that adds an organisation, then goes back to it.
    path(
        "sessions/new/organisation/",
        views.session_create_organisation,
        name="session_create_organisation",
    ),
    path("sessions/<int:pk>/", views.session_detail, name="session_detail"),
    path("sessions/<int:pk>/edit/", views.session_edit, name="session_edit"),
    path("sessions/<int:pk>/brief/", views.session_brief, name="session_brief"),
    path(
        "sessions/<int:pk>/edit/organisation/",
        views.session_edit_organisation,
        name="session_edit_organisation",
    ),
    path("sessions/<int:pk>/delete/", views.session_delete, name="session_delete"),
    path("sessions/<int:pk>/archive/", views.session_archive, name="session_archive"),
    path("sessions/<int:pk>/unarchive/", views.session_unarchive, name="session_unarchive"),
] + roster_urlpatterns
