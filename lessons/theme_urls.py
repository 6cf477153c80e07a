"""Issue 19's theme pages (filled in by their own module)."""

urlpatterns = []
