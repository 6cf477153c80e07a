"""/lessons/: search across everything learned, shared AARs and their comments, lessons
with a life, themes, and what was solved before."""

from lessons import comment_urls, lesson_urls, search_urls, suggest_urls, theme_urls

app_name = "lessons"

urlpatterns = [
    *search_urls.urlpatterns,
    *comment_urls.urlpatterns,
    *lesson_urls.urlpatterns,
    *theme_urls.urlpatterns,
    *suggest_urls.urlpatterns,
]
