"""The gradebook as CSV, streamed in chunks: memory stays flat however large the course."""

import csv
from collections.abc import Iterator

from django.db.models import QuerySet

from lms.enrollments.models import Enrollment
from lms.quizzes.models import Quiz

from .gradebook import NEVER, grade_of, progress_of, quiz_cells_for

#: Enrollments per query (and per aggregate of their quiz results).
CHUNK_SIZE = 1000

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


def _chunks(enrollments: QuerySet[Enrollment]) -> Iterator[list[Enrollment]]:
    """Keyset pages by email (unique within a course): each is one short query."""
    ordered = enrollments.order_by("email")
    last = None
    while True:
        page = ordered if last is None else ordered.filter(email__gt=last)
        chunk = list(page[:CHUNK_SIZE])
        if not chunk:
            return
        yield chunk
        last = chunk[-1].email
        if len(chunk) < CHUNK_SIZE:
            return


def gradebook_csv_lines(enrollments: QuerySet[Enrollment], quizzes: list[Quiz]) -> Iterator[str]:
    """The CSV text, line by line: a header, then one line per enrollment (by email)."""
    writer = csv.writer(_Line())
    yield "\ufeff" + writer.writerow([csv_safe(title) for title in header(quizzes)])
    for chunk in _chunks(enrollments):
        cells = quiz_cells_for(student_ids=[e.student_id for e in chunk], quizzes=quizzes)
        for enrollment in chunk:
            student = enrollment.student
            best = [cells.get((student.pk, q.pk), NEVER).best_percent for q in quizzes]
            row = [
                student.email,
                student.first_name,
                student.last_name,
                enrollment.cohort or student.cohort,
                enrollment.status,
                progress_of(enrollment)["percent"],
                *best,
                grade_of(student.pk, quizzes, cells),
            ]
            yield writer.writerow([csv_safe(value) for value in row])
