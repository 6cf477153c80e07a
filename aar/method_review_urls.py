"""Routes: the facilitation team's review of the method (issue 17), under /followup/."""

from django.urls import path

from aar import method_review_views

urlpatterns = [
    path(
        "sessions/<int:pk>/method-review/",
        method_review_views.method_review,
        name="method_review",
    ),
    path("method-reviews/", method_review_views.method_reviews, name="method_reviews"),
]
