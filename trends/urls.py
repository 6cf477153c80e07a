"""/followup/trends/…: the funder's view over time and across organisations (issue 20):
trends and the organisations side by side (``trend_urls``), a person's history and a
year in review (``review_urls``)."""

from trends import review_urls, trend_urls

app_name = "trends"

urlpatterns = [
    *trend_urls.urlpatterns,
    *review_urls.urlpatterns,
]
