from django.urls import path

from sessions_app import views

app_name = "sessions_app"

urlpatterns = [
    path("", views.home, name="home"),
    path("sessions/<int:pk>/", views.session_detail, name="session_detail"),
    path("join/<str:code>/", views.walkin_join, name="walkin_join"),
]
