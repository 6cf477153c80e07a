"""Issue 19's suggest pages (filled in by their own module)."""

urlpatterns = []
