from django.urls import path

from aar import views

app_name = "aar"

urlpatterns = [
    path("<str:token>/", views.entry, name="entry"),
]
