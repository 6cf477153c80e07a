"""/lessons/: search across everything learned, shared AARs and their comments."""

from lessons import comment_urls, search_urls

app_name = "lessons"

urlpatterns = [*search_urls.urlpatterns, *comment_urls.urlpatterns]
