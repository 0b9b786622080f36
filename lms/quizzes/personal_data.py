"""What quizzes store about a person: their submissions, with every answer."""

from django.db.models import Prefetch

from lms.common.events import iso

from .models import Answer, QuizSubmission


def personal_data_export(user) -> dict:
    submissions = (
        QuizSubmission.objects.filter(student=user)
        .select_related("quiz")
        .prefetch_related(
            Prefetch(
                "answers",
                queryset=Answer.objects.select_related("question")
                .prefetch_related("choices")
                .order_by("id"),
            )
        )
        .order_by("id")
    )
    return {
        "quiz_submissions": [
            {
                "id": s.pk,
                "quiz": {"id": s.quiz_id, "title": s.quiz.title, "course": s.quiz.course_id},
                "attempt": s.attempt,
                "status": s.status,
                "started_at": iso(s.started_at),
                "submitted_at": iso(s.submitted_at),
                "score": str(s.score),
                "max_score": str(s.max_score),
                "percent": str(s.percent),
                "passed": s.passed,
                "answers": [
                    {
                        "question": {"id": a.question_id, "text": a.question.text},
                        "choices": [{"id": c.pk, "text": c.text} for c in a.choices.all()],
                        "text": a.text,
                        "awarded_points": None
                        if a.awarded_points is None
                        else str(a.awarded_points),
                        "is_correct": a.is_correct,
                    }
                    for a in s.answers.all()
                ],
            }
            for s in submissions
        ]
    }


def personal_data_erase(user) -> None:
    """Free-text answers go (they may say anything about the person); the choices made and
    the scores stay, since the course's completion and certificate rest on them."""
    Answer.objects.filter(submission__student=user).exclude(text="").update(text="")
