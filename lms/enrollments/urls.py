"""Routes for the enrollments app."""

urlpatterns: list = []
