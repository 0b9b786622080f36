"""Demo enrollments: one in progress, one completed with a certificate, one just started."""

import secrets

from django.utils import timezone

from lms.courses.models import Course, Lesson
from lms.users.models import User

from .models import Certificate, Enrollment, LessonProgress

COURSE_SLUG = "python-fundamentals"
#: student email → lessons completed (None: all of them, and the certificate).
DEMO_PROGRESS = {
    "maria@example.com": 2,
    "li@example.com": None,
    "noor@example.com": 0,
}


#: The learning path's demo learner: li completed its prerequisite (python-fundamentals)
#: and has just enrolled, so the lessons open one by one as li completes them.
PATH_SLUG, PATH_STUDENT = "git-step-by-step", "li@example.com"


def seed(stdout) -> None:
    _seed_progress(stdout)
    _seed_path(stdout)


def _seed_path(stdout) -> None:
    course = Course.objects.filter(slug=PATH_SLUG).first()
    student = User.objects.filter(email=PATH_STUDENT).first()
    if course is None or student is None:
        stdout.write(f"  skipped {PATH_SLUG}: seed courses and users first\n")
        return
    # get_or_create: a rerun keeps the activation time, so the drip clock does not restart.
    Enrollment.objects.get_or_create(student=student, course=course)
    stdout.write(f"  {PATH_STUDENT} in {PATH_SLUG}: enrolled, lessons open one by one\n")


def _seed_progress(stdout) -> None:
    course = Course.objects.filter(slug=COURSE_SLUG).first()
    if course is None:
        stdout.write(f"  skipped enrollments: no course {COURSE_SLUG!r} (seed courses first)\n")
        return
    lessons = list(Lesson.objects.filter(module__course=course).order_by("module__order", "order"))
    for email, done in DEMO_PROGRESS.items():
        student = User.objects.filter(email=email).first()
        if student is None:
            stdout.write(f"  skipped {email}: no such user (seed users first)\n")
            continue
        completes = done is None
        enrollment, _ = Enrollment.objects.update_or_create(
            student=student,
            course=course,
            defaults={
                "status": Enrollment.Status.COMPLETED if completes else Enrollment.Status.ACTIVE,
                "completed_at": timezone.now() if completes else None,
                "cancelled_at": None,
            },
        )
        for lesson in lessons if completes else lessons[:done]:
            LessonProgress.objects.get_or_create(
                enrollment=enrollment, lesson=lesson, defaults={"completed_at": timezone.now()}
            )
        if completes:
            Certificate.objects.get_or_create(
                enrollment=enrollment,
                defaults={
                    "code": secrets.token_urlsafe(18),
                    "issued_at": timezone.now(),
                    "student_name": student.full_name,
                },
            )
        count = enrollment.lesson_progress.count()
        state = "completed, certificate issued" if completes else f"{count}/{len(lessons)} lessons"
        stdout.write(f"  {email} in {COURSE_SLUG}: {state}\n")
