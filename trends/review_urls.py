"""/followup/trends/…: a person's history across sessions and a year in review (issue 20)."""

from django.urls import path

from trends import person_views, review_views

urlpatterns = [
    path("review/", review_views.review_index, name="review_index"),
    path("review/<int:organisation_pk>/<int:year>/", review_views.review, name="review"),
    path("people/<int:participant_pk>/", person_views.person, name="person"),
]
