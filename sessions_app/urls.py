from django.urls import path

from sessions_app import views
from sessions_app.roster_urls import roster_urlpatterns

app_name = "sessions_app"

urlpatterns = [
    path("", views.home, name="home"),
    path("sessions/<int:pk>/", views.session_detail, name="session_detail"),
] + roster_urlpatterns
