"""The gradebook as CSV, streamed in chunks: memory stays flat however large the course."""

import csv
from collections.abc import Iterator

from django.db.models import QuerySet

from lms.enrollments.models import Enrollment
from lms.enrollments.selectors import progress_percent
from lms.quizzes.models import Quiz

from .gradebook import NEVER, grade_of, quiz_cells_by_student

#: Rows fetched per round trip from each server-side cursor.
CHUNK_SIZE = 2000

#: A spreadsheet runs a cell starting with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value) -> str:
    """The cell as text; one a spreadsheet would run as a formula is quoted with `'`."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


class _Line:
    """A file-like object whose `write` hands back the line (csv.writer writes one at a time)."""

    def write(self, line: str) -> str:
        return line


def header(quizzes: list[Quiz]) -> list[str]:
    return [
        "email",
        "first_name",
        "last_name",
        "cohort",
        "status",
        "progress_percent",
        *(quiz.title for quiz in quizzes),
        "grade",
    ]


def _enrollment_rows(enrollments: QuerySet[Enrollment]) -> Iterator[dict]:
    """The export's enrollment columns and completed lessons, by student, from a cursor."""
    return (
        enrollments.order_by("student_id")
        .values(
            "email",
            "student_id",
            "student__first_name",
            "student__last_name",
            "student__cohort",
            "cohort",
            "status",
            "completed_lessons",
        )
        .iterator(chunk_size=CHUNK_SIZE)
    )


def gradebook_csv_lines(
    enrollments: QuerySet[Enrollment], quizzes: list[Quiz], *, total_lessons: int
) -> Iterator[str]:
    """The CSV text, line by line: a header, then one line per enrollment (by student id).

    Two queries in all, each read from a server-side cursor in chunks and merged here by
    student id (one enrollment per student and course): memory stays flat whatever the
    course's size. Ids, not emails: the database's collation never has to agree with
    Python's string order.
    """
    writer = csv.writer(_Line())
    yield "\ufeff" + writer.writerow([csv_safe(title) for title in header(quizzes)])
    cells_stream = quiz_cells_by_student(enrollments, quizzes)
    pending = next(cells_stream, None)
    for row in _enrollment_rows(enrollments):
        email, student_id = row["email"], row["student_id"]
        cells = {}
        # Both streams are sorted by student id: take this student's cells (and pass any
        # of a student no longer listed, e.g. unenrolled between the two queries).
        while pending is not None and pending[0] <= student_id:
            if pending[0] == student_id:
                cells[(student_id, pending[1])] = pending[2]
            pending = next(cells_stream, None)
        best = [cells.get((student_id, q.pk), NEVER).best_percent for q in quizzes]
        values = [
            email,
            row["student__first_name"],
            row["student__last_name"],
            row["cohort"] or row["student__cohort"],
            row["status"],
            progress_percent(row["completed_lessons"], total_lessons),
            *best,
            grade_of(student_id, quizzes, cells),
        ]
        yield writer.writerow([csv_safe(value) for value in values])
