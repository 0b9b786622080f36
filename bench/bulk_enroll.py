"""Bulk enrollment at size: a CSV of 100,000 rows, half of them new addresses, on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lms_bench_bulk \\
        .venv/bin/python bench/bulk_enroll.py [--rows 100000]

Creates (once) the existing half of the students, writes the CSV to the media storage,
then runs the `bulk_enroll` job in process (as `POST courses/{id}/bulk-enroll/` does
without a broker, emails not sent: notify off) on a fresh course, and reports the time,
the job's counts and the growth of the process's peak memory. Target: < 60 s.
"""

import argparse
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.bench_settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/lms_bench_bulk")

import django

django.setup()

from django.core.files.base import ContentFile  # noqa: E402
from django.core.files.storage import default_storage  # noqa: E402
from django.core.management import call_command  # noqa: E402

from lms.courses.models import Course  # noqa: E402
from lms.jobs.models import Job  # noqa: E402
from lms.jobs.services import job_execute  # noqa: E402
from lms.users.models import User  # noqa: E402


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def students(count: int) -> None:
    have = User.objects.filter(email__startswith="bulk-old-").count()
    if have >= count:
        return
    User.objects.bulk_create(
        [User(email=f"bulk-old-{n}@example.com", password="!") for n in range(have, count)],
        batch_size=5000,
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    rows = parser.parse_args().rows
    call_command("migrate", verbosity=0)
    students(rows // 2)
    instructor = User.objects.filter(email="bulk-old-0@example.com").get()
    course = Course.objects.create(
        title=f"Bulk bench {time.time():.0f}", slug=f"bulk-{time.time_ns()}", instructor=instructor
    )
    lines = ["email,first_name,last_name,cohort"]
    for n in range(rows):
        old = n % 2 == 0
        email = f"bulk-old-{n // 2}@example.com" if old else f"bulk-new-{course.pk}-{n}@example.com"
        lines.append(f"{email},First,Last,c{n % 4}")
    name = default_storage.save("jobs/bench.csv", ContentFile("\n".join(lines).encode()))
    del lines
    job = Job.objects.create(
        kind="bulk_enroll",
        created_by=instructor,
        params={"file": name, "course_id": course.pk, "cohort": "", "notify": False},
    )
    before = peak_mb()
    started = time.perf_counter()
    job_execute(job.pk)
    elapsed = time.perf_counter() - started
    job.refresh_from_db()
    print(
        f"{rows} rows: {elapsed:.1f} s, status {job.status}, result {job.result}, "
        f"errors {len(job.errors)}, peak RSS growth {peak_mb() - before:.0f} MB"
    )


if __name__ == "__main__":
    main()
