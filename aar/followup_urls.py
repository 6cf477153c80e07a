from django.urls import path

from aar import followup_views

app_name = "followup"

urlpatterns = [
    path("", followup_views.dashboard, name="dashboard"),
]
