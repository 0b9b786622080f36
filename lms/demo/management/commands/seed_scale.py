"""Load production-size data for benchmarks (PostgreSQL only; idempotent)."""

import sys
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from lms.courses.cache import catalog_version_bump
from lms.demo import scale

try:  # a nicer bar when tqdm happens to be installed; the plain one otherwise
    from tqdm import tqdm
except ImportError:  # pragma: no cover - depends on the environment
    tqdm = None


class Command(BaseCommand):
    help = (
        "Create scale-* students, courses (with lessons, quizzes), enrollments, lesson progress "
        "and quiz submissions with bulk SQL; rerunning adds only what is missing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--students", type=int, default=100_000)
        parser.add_argument("--courses", type=int, default=1_000)
        parser.add_argument("--enrollments", type=int, default=1_000_000)
        parser.add_argument(
            "--big-course-students",
            type=int,
            default=10_000,
            help=f"students enrolled in {scale.BIG_COURSE_SLUG!r} (an instructor's big list)",
        )

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            raise CommandError("seed_scale needs PostgreSQL (set DATABASE_URL).")
        sizes = scale.ScaleSizes(
            students=options["students"],
            courses=options["courses"],
            enrollments=options["enrollments"],
            big_course_students=options["big_course_students"],
        )
        if min(sizes.students, sizes.courses) < 1 or sizes.enrollments < 0:
            raise CommandError("--students and --courses must be at least 1.")
        if sizes.enrollments > sizes.students * sizes.courses:
            raise CommandError("--enrollments cannot exceed students x courses.")
        if sizes.big_course_students > sizes.students:
            raise CommandError("--big-course-students cannot exceed --students.")
        started = time.monotonic()
        stages = scale.stages(sizes)
        for number, stage in enumerate(stages, start=1):
            self._run(f"[{number}/{len(stages)}] {stage.name}", stage)
        scale.analyze()
        catalog_version_bump()  # bulk SQL sends no signals: replace the cached catalog here
        self.stdout.write(
            self.style.SUCCESS(f"Scale data ready in {time.monotonic() - started:.0f} s.")
        )

    def _run(self, label: str, stage: scale.Stage) -> None:
        started = time.monotonic()
        if tqdm is not None:
            with tqdm(total=stage.total, desc=label, unit="rows", file=sys.stdout) as bar:
                done = 0
                for now in stage.run():
                    bar.update(now - done)
                    done = now
            return
        for done in stage.run():
            share = done / stage.total if stage.total else 1.0
            bar = "#" * int(share * 30)
            self.stdout.write(
                f"\r{label} [{bar:<30}] {share:4.0%} {done:,}/{stage.total:,} "
                f"{time.monotonic() - started:.0f}s",
                ending="",
            )
            self.stdout.flush()
        self.stdout.write(f"\r{label} done in {time.monotonic() - started:.1f} s" + " " * 40)
        self.stdout.write("")
