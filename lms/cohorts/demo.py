"""Demo cohort: a course with 30 students in two cohorts, spread grades, an announcement.

"Data Analysis Bootcamp" (slug `data-analysis-cohort`), taught by ada@example.com: 28
generated students (cohort01..28@example.com) and maria and li, in cohorts
`2026-spring-a` and `2026-spring-b`; two published quizzes with graded attempts from 0 to
100 %; one announcement from ada; maria has unread notifications. Idempotent.
"""

from decimal import Decimal

from django.utils import timezone

from lms.courses.models import Course, Lesson, Module
from lms.enrollments.models import Enrollment, LessonProgress
from lms.notifications.models import Notification
from lms.notifications.services import notifications_create
from lms.quizzes.models import Quiz, QuizSubmission
from lms.users.demo import DEMO_PASSWORD
from lms.users.models import User

from .models import Announcement
from .services import announcement_create

COURSE_SLUG = "data-analysis-cohort"
COHORTS = ("2026-spring-a", "2026-spring-b")
GENERATED_STUDENTS = 28
NAMED_STUDENTS = ("maria@example.com", "li@example.com")
LESSONS = ("Spreadsheets to DataFrames", "Cleaning data", "Grouping", "Charts")
QUIZZES = ("Week 1 check", "Week 2 check")
ANNOUNCEMENT_TITLE = "Welcome to the spring cohort"


def _course() -> Course:
    course, _ = Course.objects.update_or_create(
        slug=COURSE_SLUG,
        defaults={
            "title": "Data Analysis Bootcamp",
            "instructor": User.objects.get(email="ada@example.com"),
            "price": Decimal("0.00"),
            "currency": "USD",
            "is_published": True,
            "description": "A cohort course: weekly checks, a gradebook, announcements.",
        },
    )
    module, _ = Module.objects.update_or_create(course=course, order=1, defaults={"title": "Core"})
    for order, title in enumerate(LESSONS, start=1):
        Lesson.objects.update_or_create(
            module=module,
            order=order,
            defaults={"title": title, "duration_minutes": 20, "content": f"## {title}"},
        )
    return course


def _students() -> list[User]:
    students = []
    for n in range(1, GENERATED_STUDENTS + 1):
        user, created = User.objects.get_or_create(
            email=f"cohort{n:02d}@example.com",
            defaults={"first_name": f"Student{n:02d}", "last_name": "Cohort"},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        students.append(user)
    students += list(User.objects.filter(email__in=NAMED_STUDENTS).order_by("email"))
    return students


def _percent(n: int, quiz_index: int) -> Decimal:
    """A spread of results: some strong, some failing, a few never handed in (None)."""
    if (n + quiz_index) % 7 == 0:
        return None
    return Decimal((n * 37 + quiz_index * 23) % 101)


def seed(stdout) -> None:
    if not User.objects.filter(email="ada@example.com").exists():
        stdout.write("  skipped the cohort course: no ada@example.com (seed users first)\n")
        return
    course = _course()
    lessons = list(Lesson.objects.filter(module__course=course).order_by("order"))
    quizzes = [
        Quiz.objects.update_or_create(
            course=course, title=title, defaults={"is_published": True, "pass_percent": 60}
        )[0]
        for title in QUIZZES
    ]
    now = timezone.now()
    for n, student in enumerate(_students()):
        enrollment, _ = Enrollment.objects.get_or_create(
            student=student,
            course=course,
            defaults={"source": Enrollment.Source.STAFF, "cohort": COHORTS[n % 2]},
        )
        for lesson in lessons[: n % (len(lessons) + 1)]:
            LessonProgress.objects.get_or_create(
                enrollment=enrollment, lesson=lesson, defaults={"completed_at": now}
            )
        for index, quiz in enumerate(quizzes):
            percent = _percent(n, index)
            if percent is None or QuizSubmission.objects.filter(quiz=quiz, student=student):
                continue
            QuizSubmission.objects.create(
                quiz=quiz,
                student=student,
                attempt=1,
                started_at=now,
                submitted_at=now,
                score=percent,
                max_score=100,
                percent=percent,
                passed=percent >= quiz.pass_percent,
                status=QuizSubmission.Status.GRADED,
            )
    if not Announcement.objects.filter(course=course, title=ANNOUNCEMENT_TITLE).exists():
        announcement_create(
            course=course,
            author=course.instructor,
            title=ANNOUNCEMENT_TITLE,
            body="Week 1 starts Monday: read 'Spreadsheets to DataFrames' and take the check.",
            send_email=False,
        )
    maria = User.objects.filter(email="maria@example.com").first()
    if maria and not maria.notifications.filter(kind=Notification.Kind.ENROLLMENT_ACTIVATED):
        notifications_create(
            user_ids=[maria.pk],
            kind=Notification.Kind.ENROLLMENT_ACTIVATED,
            title=f"You are enrolled in {course.title}",
            body=f"Your enrollment in {course.title} is active: the course is open to you.",
            data={"course": course.pk},
        )
    count = Enrollment.objects.filter(course=course).count()
    stdout.write(f"  {COURSE_SLUG}: {count} students in {', '.join(COHORTS)}, an announcement\n")
