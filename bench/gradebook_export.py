"""Gradebook CSV export at size: 10,000 enrollments x 10 quizzes on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lms_bench_gradebook \\
        .venv/bin/python bench/gradebook_export.py [--students 10000] [--quizzes 10] [--runs 3]

Creates (once; reruns reuse it) the course `bench-gradebook` with that many students, each
with lesson progress and one or two graded attempts per quiz, then downloads
`courses/{id}/gradebook/export/` through Django's request handler (in process, as the
course's instructor) and reports time to the first byte, total time, size, rows and the
growth of the process's peak memory. Targets: first byte < 1 s, whole < 10 s.
"""

import argparse
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.bench_settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/lms_bench_gradebook")

import django

django.setup()

from decimal import Decimal  # noqa: E402

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from rest_framework.test import APIClient  # noqa: E402

from lms.courses.models import Course, Lesson, Module  # noqa: E402
from lms.enrollments.models import Enrollment, LessonProgress  # noqa: E402
from lms.quizzes.models import Quiz, QuizSubmission  # noqa: E402
from lms.users.models import User  # noqa: E402
from lms.users.tokens import token_pair_for  # noqa: E402

SLUG = "bench-gradebook"
BATCH = 5000


def _batched(objects, model):
    for start in range(0, len(objects), BATCH):
        model.objects.bulk_create(objects[start : start + BATCH], ignore_conflicts=True)


def seed(students: int, quizzes: int) -> Course:
    instructor, _ = User.objects.get_or_create(
        email="bench-gradebook-teacher@example.com", defaults={"role": User.Role.INSTRUCTOR}
    )
    course, _ = Course.objects.get_or_create(
        slug=SLUG,
        defaults={"title": "Bench gradebook", "instructor": instructor, "is_published": True},
    )
    if Enrollment.objects.filter(course=course).count() >= students:
        return course
    now = timezone.now()
    with transaction.atomic():
        module, _ = Module.objects.get_or_create(course=course, order=1, defaults={"title": "M"})
        lessons = [
            Lesson.objects.get_or_create(module=module, order=i, defaults={"title": f"L{i}"})[0]
            for i in range(1, 6)
        ]
        quiz_rows = [
            Quiz.objects.get_or_create(
                course=course, title=f"Check {i:02d}", defaults={"is_published": True}
            )[0]
            for i in range(1, quizzes + 1)
        ]
        emails = [f"bench-gb-{n:05d}@example.com" for n in range(students)]
        _batched(
            [
                User(email=e, first_name=f"S{n}", last_name="Bench", password="!")
                for n, e in enumerate(emails)
            ],
            User,
        )
        users = list(User.objects.filter(email__in=emails).order_by("email"))
        _batched(
            [
                Enrollment(student=u, course=course, cohort=("A", "B")[n % 2])
                for n, u in enumerate(users)
            ],
            Enrollment,
        )
        enrollments = list(Enrollment.objects.filter(course=course).order_by("student__email"))
        _batched(
            [
                LessonProgress(enrollment=e, lesson=lesson, completed_at=now)
                for n, e in enumerate(enrollments)
                for lesson in lessons[: n % 6]
            ],
            LessonProgress,
        )
        submissions = []
        for n, user in enumerate(users):
            for q, quiz in enumerate(quiz_rows):
                for attempt in range(1, 2 + (n + q) % 2):
                    percent = Decimal((n * 31 + q * 17 + attempt * 7) % 101)
                    submissions.append(
                        QuizSubmission(
                            quiz=quiz,
                            student=user,
                            attempt=attempt,
                            started_at=now,
                            submitted_at=now,
                            percent=percent,
                            passed=percent >= 60,
                            status=QuizSubmission.Status.GRADED,
                        )
                    )
        _batched(submissions, QuizSubmission)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return course


def download(course: Course) -> dict:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token_pair_for(course.instructor)['access']}")
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    response = client.get(f"/api/v1/courses/{course.pk}/gradebook/export/")
    assert response.status_code == 200, response.status_code
    chunks = iter(response.streaming_content)
    first = next(chunks)
    first_byte = time.perf_counter() - started
    size, lines = len(first), first.count(b"\n")
    for chunk in chunks:
        size += len(chunk)
        lines += chunk.count(b"\n")
    total = time.perf_counter() - started
    rss_growth = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before
    return {"first_byte": first_byte, "total": total, "bytes": size, "rows": lines - 1,
            "peak_rss_growth_kb": rss_growth}  # fmt: skip


def gradebook_page(course: Course, ordering: str) -> float:
    """Seconds for one gradebook page sorted by `ordering` (sorting every row in SQL)."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token_pair_for(course.instructor)['access']}")
    started = time.perf_counter()
    response = client.get(f"/api/v1/courses/{course.pk}/gradebook/", {"ordering": ordering})
    assert response.status_code == 200, response.status_code
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=10_000)
    parser.add_argument("--quizzes", type=int, default=10)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to a PostgreSQL database (lms_bench_gradebook by default).")
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    course = seed(args.students, args.quizzes)
    print(f"data ready in {time.perf_counter() - started:.1f} s "
          f"({Enrollment.objects.filter(course=course).count()} enrollments, "
          f"{Quiz.objects.filter(course=course, is_published=True).count()} quizzes, "
          f"{QuizSubmission.objects.filter(quiz__course=course).count()} attempts)")  # fmt: skip
    for run in range(1, args.runs + 1):
        result = download(course)
        print(f"run {run}: first byte {result['first_byte']:.3f} s, whole {result['total']:.2f} s, "
              f"{result['rows']} rows, {result['bytes'] / 1e6:.2f} MB, "
              f"peak RSS growth {result['peak_rss_growth_kb'] / 1024:.1f} MB")  # fmt: skip
    for ordering in ("email", "-grade", "-progress"):
        print(f"gradebook page ?ordering={ordering}: {gradebook_page(course, ordering):.3f} s")


if __name__ == "__main__":
    main()
