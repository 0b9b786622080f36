"""Routes for the quizzes app."""

urlpatterns: list = []
