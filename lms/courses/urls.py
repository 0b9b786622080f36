"""Routes for the courses app."""

urlpatterns: list = []
