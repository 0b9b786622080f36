"""Routes for the payments app."""

urlpatterns: list = []
