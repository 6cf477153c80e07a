"""Issue 19's lesson pages (filled in by their own module)."""

urlpatterns = []
