"""Routes for accounts and authentication."""

urlpatterns: list = []
