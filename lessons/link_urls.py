"""Shared AARs and comments through a participant's personal link (/aar/<token>/…)."""

from django.urls import path

from lessons import link_views

app_name = "lessons_link"

urlpatterns = [
    path("<str:token>/shared/", link_views.shared, name="shared"),
    path("<str:token>/shared/<int:aar_pk>/", link_views.shared_aar, name="aar"),
]
