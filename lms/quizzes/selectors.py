"""Read-side queries for quizzes."""

from django.db.models import Exists, OuterRef

from .models import Quiz, QuizSubmission


def quiz_requirements_for(*, student, course_id: int) -> tuple[int, int]:
    """(published quizzes of the course the student has passed, published quizzes in all)."""
    passed = QuizSubmission.objects.filter(quiz=OuterRef("pk"), student=student, passed=True)
    rows = list(
        Quiz.objects.filter(course_id=course_id, is_published=True)
        .annotate(passed=Exists(passed))
        .values_list("passed", flat=True)
    )
    return sum(1 for p in rows if p), len(rows)
