"""Routes: AARs typed in for a participant (issue 17, item 7), in the "followup" namespace."""

from django.urls import path

from aar import on_behalf_views

urlpatterns = [
    path(
        "sessions/<int:pk>/participants/<int:participant_pk>/aar/",
        on_behalf_views.aar_on_behalf,
        name="aar_on_behalf",
    ),
]
