from django.urls import path

from aar import views

app_name = "aar"

# /aar/<token>/ is sent to people and never changes.
urlpatterns = [
    path("<str:token>/", views.entry, name="entry"),
    path("<str:token>/thanks/", views.thanks, name="thanks"),
]
