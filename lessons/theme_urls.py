"""Issue 19's theme page: the most frequent words of what was not achieved and of the
next steps, by organisation and period."""

from django.urls import path

from lessons import theme_views

urlpatterns = [path("themes/", theme_views.themes_page, name="themes")]
