"""/lessons/aars/…, /lessons/sessions/…, /lessons/comments/…: shared AARs for staff."""

from django.urls import path

from lessons import comment_views

urlpatterns = [
    path("aars/<int:aar_pk>/", comment_views.aar_read, name="aar"),
    path("sessions/<int:session_pk>/", comment_views.session_answers, name="session_answers"),
    path("comments/<int:comment_pk>/hide/", comment_views.comment_hide_view, name="comment_hide"),
    path("comments/<int:comment_pk>/show/", comment_views.comment_show_view, name="comment_show"),
]
