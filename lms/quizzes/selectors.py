"""Read-side queries for quizzes: who sees what, and the numbers instructors read."""

from decimal import Decimal

from django.db.models import (
    Avg,
    Case,
    Count,
    Exists,
    F,
    FloatField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Cast
from django.utils import timezone

from lms.common.permissions import is_admin, is_instructor, is_student
from lms.common.queries import count_subquery
from lms.enrollments.selectors import enrolled_course_ids

from .models import Answer, Choice, Question, Quiz, QuizSubmission

SUBMITTED = (QuizSubmission.Status.GRADED, QuizSubmission.Status.NEEDS_REVIEW)


def quiz_requirements_for(*, student, course_id: int) -> tuple[int, int]:
    """(published quizzes of the course the student has passed, published quizzes in all)."""
    passed = QuizSubmission.objects.filter(quiz=OuterRef("pk"), student=student, passed=True)
    rows = list(
        Quiz.objects.filter(course_id=course_id, is_published=True)
        .annotate(passed=Exists(passed))
        .values_list("passed", flat=True)
    )
    return sum(1 for p in rows if p), len(rows)


def _with_question_count(quizzes: QuerySet[Quiz]) -> QuerySet[Quiz]:
    return quizzes.annotate(
        question_count=count_subquery(Question.objects.filter(quiz=OuterRef("pk")), "quiz")
    )


def quizzes_listed_for(user) -> QuerySet[Quiz]:
    """Quizzes in `user`'s lists: all for admins, their courses' for instructors,
    published quizzes of the courses a student is enrolled in."""
    quizzes = _with_question_count(Quiz.objects.all())
    if is_admin(user):
        return quizzes
    if is_instructor(user):
        return quizzes.filter(course__instructor=user)
    if is_student(user):
        return quizzes.filter(is_published=True, course_id__in=enrolled_course_ids(user))
    return quizzes.none()


def quizzes_findable_by(user) -> QuerySet[Quiz]:
    """Quizzes `user` may address by id: their own courses' and every published quiz of a
    published course (whether they may read or change it is the permission classes' call)."""
    quizzes = _with_question_count(Quiz.objects.select_related("course"))
    if is_admin(user):
        return quizzes
    if not (user and user.is_authenticated):
        return quizzes.none()
    return quizzes.filter(
        Q(course__instructor=user) | Q(is_published=True, course__is_published=True)
    )


def questions_served_to(student, *, now=None) -> Q:
    """The questions a student may read: a timed quiz's only while they hold an open attempt
    within its time, so the clock always starts (with `start`) before the questions are seen."""
    in_time = QuizSubmission.objects.filter(
        quiz=OuterRef("quiz"), student=student, status=QuizSubmission.Status.IN_PROGRESS
    ).filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now or timezone.now()))
    return Q(quiz__time_limit_minutes__isnull=True) | Q(Exists(in_time))


def with_questions_for_students(quizzes: QuerySet[Quiz], *, student) -> QuerySet[Quiz]:
    """Prefetch the questions served to `student` and the choices' texts (never whether a
    choice is correct)."""
    # In authored order: an ordering question shuffles it for the attempt (never shown as is).
    choices = Choice.objects.only("id", "question_id", "text", "position").order_by(
        "position", "id"
    )
    questions = (
        Question.objects.filter(questions_served_to(student))
        .only("id", "quiz_id", "text", "kind", "points", "order")
        .prefetch_related(Prefetch("choices", queryset=choices))
    )
    return quizzes.prefetch_related(Prefetch("questions", queryset=questions.order_by("order")))


def with_questions_for_authors(quizzes: QuerySet[Quiz]) -> QuerySet[Quiz]:
    """Prefetch the questions with their choices and accepted answers."""
    questions = Question.objects.order_by("order").prefetch_related(
        Prefetch("choices", queryset=Choice.objects.order_by("position", "id"))
    )
    return quizzes.prefetch_related(Prefetch("questions", queryset=questions))


def questions_editable_by(user) -> QuerySet[Question]:
    """Questions (with choices) of the quizzes `user` may author: their courses', all for admins."""
    questions = Question.objects.select_related("quiz__course").prefetch_related(
        Prefetch("choices", queryset=Choice.objects.order_by("position", "id"))
    )
    if is_admin(user):
        return questions.order_by("quiz_id", "order")
    if is_instructor(user):
        return questions.filter(quiz__course__instructor=user).order_by("quiz_id", "order")
    return questions.none()


def quiz_has_submissions(quiz_id: int) -> bool:
    return QuizSubmission.objects.filter(quiz_id=quiz_id).exists()


def submissions_visible_to(user) -> QuerySet[QuizSubmission]:
    """A student's own attempts, an instructor's courses' attempts, every attempt for admins."""
    submissions = QuizSubmission.objects.select_related("quiz", "student")
    if is_admin(user):
        return submissions
    if is_instructor(user):
        return submissions.filter(quiz__course__instructor=user)
    if is_student(user):
        return submissions.filter(student=user)
    return submissions.none()


def with_answers(submissions: QuerySet[QuizSubmission]) -> QuerySet[QuizSubmission]:
    """Prefetch the answers with their questions and the ids of the chosen choices."""
    answers = Answer.objects.select_related("question").prefetch_related(
        Prefetch("choices", queryset=Choice.objects.only("id").order_by("id"))
    )
    return submissions.prefetch_related(
        Prefetch("answers", queryset=answers.order_by("question__order"))
    )


def attempts_used(*, quiz_id: int, student) -> int:
    return QuizSubmission.objects.filter(quiz_id=quiz_id, student=student).count()


def _median(values: list[Decimal]) -> Decimal | None:
    if not values:
        return None
    middle = len(values) // 2
    if len(values) % 2:
        return values[middle]
    return (values[middle - 1] + values[middle]) / 2


def quiz_results(quiz: Quiz) -> dict:
    """Attempts, average/median percent, pass rate and per-question correct rates, in 3 queries.

    Only submitted attempts count (graded or waiting for review); the median comes
    from one ordered `values_list` so the number of queries never grows.
    """
    submitted = QuizSubmission.objects.filter(quiz=quiz, status__in=SUBMITTED)
    totals = submitted.aggregate(
        attempts=Count("pk"),
        students=Count("student", distinct=True),
        passed=Count("pk", filter=Q(passed=True)),
        needs_review=Count("pk", filter=Q(status=QuizSubmission.Status.NEEDS_REVIEW)),
        average=Avg("percent"),
    )
    percents = list(submitted.order_by("percent").values_list("percent", flat=True))
    answered = Q(answers__submission__status__in=SUBMITTED)
    questions = (
        Question.objects.filter(quiz=quiz)
        .annotate(
            answered=Count("answers", filter=answered),
            correct=Count("answers", filter=answered & Q(answers__is_correct=True)),
        )
        .annotate(
            correct_rate=Case(
                When(answered=0, then=Value(None)),
                default=Cast(F("correct"), FloatField()) / Cast(F("answered"), FloatField()),
                output_field=FloatField(),
            )
        )
        .order_by(F("correct_rate").asc(nulls_last=True), "order")
        .values("id", "order", "text", "kind", "answered", "correct", "correct_rate")
    )
    attempts = totals["attempts"]
    average = totals["average"]
    return {
        "quiz": quiz.pk,
        "attempts": attempts,
        "students": totals["students"],
        "needs_review": totals["needs_review"],
        "average_percent": round(Decimal(average), 2) if average is not None else None,
        "median_percent": _median(percents),
        "pass_rate": round(totals["passed"] / attempts, 4) if attempts else None,
        "questions": [
            {
                "question": row["id"],
                "order": row["order"],
                "text": row["text"],
                "kind": row["kind"],
                "answered": row["answered"],
                "correct": row["correct"],
                "correct_rate": (
                    round(row["correct_rate"], 4) if row["correct_rate"] is not None else None
                ),
            }
            for row in questions
        ],
    }


def attempt_shown(*, quiz: Quiz, student, limits) -> int:
    """The attempt a student's quiz page is for: their open one, else the next one."""
    open_attempt = (
        QuizSubmission.objects.filter(
            quiz=quiz, student=student, status=QuizSubmission.Status.IN_PROGRESS
        )
        .values_list("attempt", flat=True)
        .first()
    )
    return open_attempt if open_attempt is not None else limits.attempts_used + 1
