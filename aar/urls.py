from django.urls import path

from aar import before_urls, privacy_views, views

app_name = "aar"

# /aar/<token>/ is sent to people and never changes.
urlpatterns = [
    path("<str:token>/", views.entry, name="entry"),
    path("<str:token>/thanks/", views.thanks, name="thanks"),
    path("<str:token>/commitments/", views.checkback, name="checkback"),
    path("<str:token>/my-data/", privacy_views.my_data, name="my_data"),
    path("<str:token>/my-data.json", privacy_views.my_data_json, name="my_data_json"),
    path("<str:token>/stop-emails/", privacy_views.stop_emails, name="stop_emails"),
]

# Before the session: the expectation, and the host team's brief (issue 17).
urlpatterns += before_urls.urlpatterns
