"""The gradebook: one row per enrollment of a course, its progress and best quiz results.

`grade` is the mean of the best percent of every published quiz (0 for a quiz never
submitted), None when the course has no published quiz. The database computes it (and the
progress percent) as annotations, so lists sort and page by them; the quiz cells of a page
or an export chunk come from one aggregate query, whatever the number of quizzes.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection
from django.db.models import (
    Case,
    Count,
    DecimalField,
    F,
    IntegerField,
    Max,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.expressions import RawSQL

from lms.courses.models import Course, Lesson
from lms.enrollments.models import Enrollment
from lms.enrollments.selectors import progress_percent, with_progress
from lms.quizzes.models import Quiz, QuizSubmission

CENT = Decimal("0.01")
PERCENT = DecimalField(max_digits=7, decimal_places=2)


def published_quizzes_of(course: Course) -> list[Quiz]:
    """The course's published quizzes, in the order the gradebook shows them."""
    return list(Quiz.objects.filter(course=course, is_published=True).order_by("id"))


def _submitted():
    """Attempts that count: handed in (graded, or waiting for a short-answer review)."""
    return ~Q(status=QuizSubmission.Status.IN_PROGRESS)


def _grade_annotation(course: Course) -> RawSQL:
    """Mean over published quizzes of the outer row's student's best percent (0 when none).

    Raw SQL because the ORM cannot aggregate an aggregate (a sum of per-quiz maxima) in a
    subquery: its nearest form, one correlated subquery per row and quiz, sorted a
    10,000-student course 7x slower (bench/README.md "Gradebook export"). The divisor is
    NULL without published quizzes, so the grade is too.
    """
    quote = connection.ops.quote_name
    submission, quiz = QuizSubmission._meta.db_table, Quiz._meta.db_table
    outer = quote(Enrollment._meta.db_table)
    # Only table names from the models are formatted in; every value is a parameter.
    sql = (
        f"(SELECT COALESCE(SUM(best.percent), 0) FROM ("  # noqa: S608
        f"SELECT MAX(s.percent) AS percent FROM {quote(submission)} s "
        f"WHERE s.student_id = {outer}.student_id AND s.status <> %s AND s.quiz_id IN ("
        f"SELECT q.id FROM {quote(quiz)} q WHERE q.course_id = %s AND q.is_published) "
        f"GROUP BY s.quiz_id) best) / NULLIF((SELECT COUNT(*) FROM {quote(quiz)} q "
        f"WHERE q.course_id = %s AND q.is_published), 0)"
    )
    return RawSQL(  # noqa: S611
        sql, (QuizSubmission.Status.IN_PROGRESS, course.pk, course.pk), output_field=PERCENT
    )


def gradebook_rows(course: Course, *, sortable: bool = True) -> QuerySet[Enrollment]:
    """Every enrollment of `course` with `email` and lesson progress; `sortable` adds the
    `progress` percent and the `grade` the list sorts by."""
    enrollments = with_progress(
        Enrollment.objects.filter(course=course).select_related("student")
    ).annotate(email=F("student__email"))
    if not sortable:
        return enrollments
    return enrollments.annotate(
        progress=Case(
            When(total_lessons=0, then=Value(0)),
            default=F("completed_lessons") * 100 / F("total_lessons"),
            output_field=IntegerField(),
        ),
        grade=_grade_annotation(course),
    )


@dataclass(frozen=True)
class QuizCell:
    """A student's result on one quiz: best percent of their attempts, passed, how many."""

    best_percent: Decimal | None
    passed: bool
    attempts: int


NEVER = QuizCell(best_percent=None, passed=False, attempts=0)


def quiz_cells_for(
    *, student_ids: Iterable[int], quizzes: list[Quiz]
) -> dict[tuple[int, int], QuizCell]:
    """`{(student_id, quiz_id): QuizCell}` for these students and quizzes, in one query."""
    student_ids = list(student_ids)
    if not student_ids or not quizzes:
        return {}
    rows = (
        QuizSubmission.objects.filter(
            _submitted(), student_id__in=student_ids, quiz_id__in=[q.pk for q in quizzes]
        )
        .order_by()
        .values("student_id", "quiz_id")
        .annotate(
            best=Max("percent"),
            passed_any=Max(Case(When(passed=True, then=1), default=0)),
            attempts=Count("pk"),
        )
    )
    return {
        (row["student_id"], row["quiz_id"]): QuizCell(
            best_percent=Decimal(row["best"]).quantize(CENT),
            passed=bool(row["passed_any"]),
            attempts=row["attempts"],
        )
        for row in rows
    }


def quiz_cells_by_student(enrollments: QuerySet[Enrollment], quizzes: list[Quiz]):
    """Every (student_id, quiz_id, QuizCell) of these enrollments' students, by student id.

    One grouped query, read from a server-side cursor in chunks: the export merges it
    with the enrollments (also by student id) without holding either in memory.
    """
    if not quizzes:
        return iter(())
    rows = (
        QuizSubmission.objects.filter(
            _submitted(),
            quiz_id__in=[q.pk for q in quizzes],
            student_id__in=enrollments.values("student_id"),
        )
        .order_by()
        .values("student_id", "quiz_id")
        .annotate(
            best=Max("percent"),
            passed_any=Max(Case(When(passed=True, then=1), default=0)),
            attempts=Count("pk"),
        )
        .order_by("student_id", "quiz_id")
    )
    return (
        (
            row["student_id"],
            row["quiz_id"],
            QuizCell(
                best_percent=Decimal(row["best"]).quantize(CENT),
                passed=bool(row["passed_any"]),
                attempts=row["attempts"],
            ),
        )
        for row in rows.iterator(chunk_size=2000)
    )


def lesson_count_of(course: Course) -> int:
    """How many lessons the course has (every enrollment's progress is out of these)."""
    return Lesson.objects.filter(module__course=course).count()


def grade_of(student_id: int, quizzes: list[Quiz], cells: dict) -> Decimal | None:
    """The mean of the best percents (0 for a quiz never handed in); None without quizzes."""
    if not quizzes:
        return None
    total = sum(
        (cells.get((student_id, q.pk), NEVER).best_percent or Decimal(0) for q in quizzes),
        Decimal(0),
    )
    return (total / len(quizzes)).quantize(CENT, rounding=ROUND_HALF_UP)


def progress_of(enrollment: Enrollment) -> dict:
    """`{completed_lessons, total_lessons, percent}` from the row's annotations."""
    return {
        "completed_lessons": enrollment.completed_lessons,
        "total_lessons": enrollment.total_lessons,
        "percent": progress_percent(enrollment.completed_lessons, enrollment.total_lessons),
    }


def gradebook_row(enrollment: Enrollment, quizzes: list[Quiz], cells: dict) -> dict:
    """One enrollment as the gradebook answers it."""
    student = enrollment.student
    results = []
    for quiz in quizzes:
        cell = cells.get((student.pk, quiz.pk), NEVER)
        results.append(
            {
                "quiz": quiz.pk,
                "title": quiz.title,
                "best_percent": cell.best_percent,
                "passed": cell.passed,
                "attempts": cell.attempts,
            }
        )
    return {
        "student": {
            "id": student.pk,
            "email": student.email,
            "first_name": student.first_name,
            "last_name": student.last_name,
            "cohort": student.cohort,
        },
        "enrollment": {
            "id": enrollment.pk,
            "status": enrollment.status,
            "cohort": enrollment.cohort,
            "enrolled_at": enrollment.created_at,
            "completed_at": enrollment.completed_at,
        },
        "progress": progress_of(enrollment),
        "quizzes": results,
        "grade": grade_of(student.pk, quizzes, cells),
    }


def gradebook_page(enrollments: list[Enrollment], quizzes: list[Quiz]) -> list[dict]:
    """Rows for a page of enrollments: one query for all their quiz results."""
    cells = quiz_cells_for(student_ids=[e.student_id for e in enrollments], quizzes=quizzes)
    return [gradebook_row(enrollment, quizzes, cells) for enrollment in enrollments]
