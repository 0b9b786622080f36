"""Quiz endpoints: thin viewsets over the quiz selectors and services."""

from .accommodations import AccommodationViewSet
from .questions import QuestionViewSet
from .quizzes import QuizViewSet
from .submissions import QuizSubmissionViewSet

__all__ = ["AccommodationViewSet", "QuestionViewSet", "QuizSubmissionViewSet", "QuizViewSet"]
