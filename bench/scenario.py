"""The endpoints the benchmark measures, resolved against the data in the database.

Needs Django set up (config.bench_settings). Every endpoint is requested once through the
test client first: its status must be 2xx, and the queries it ran are counted.
"""

import json
from dataclasses import dataclass, field

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import Resolver404, resolve

from lms.common.views import api_not_found
from lms.courses.models import Course, Lesson
from lms.enrollments.models import Enrollment
from lms.quizzes.models import Question, Quiz, QuizSubmission
from lms.quizzes.services import quiz_attempt_start
from lms.users.demo import DEMO_PASSWORD
from lms.users.models import User
from lms.users.tokens import token_pair_for

API = "/api/v1/"
REFERENCE = "/bench/reference/"
#: A course that `seed_scale` fills with 10,000 students (the instructor's big list).
BIG_COURSE_SLUG = "scale-big-course"
DEMO_COURSE_SLUG = "python-fundamentals"


@dataclass
class Endpoint:
    name: str
    method: str
    path: str
    token: str | None = None
    body: dict | None = None
    #: wrk connections, when the default would queue past a round (slow password hashing).
    connections: int | None = None
    #: Shortest round for this endpoint (a few slow requests need time to be counted).
    seconds: float = 0
    queries: int | None = None
    status: int | None = None
    notes: list[str] = field(default_factory=list)

    def headers(self) -> dict[str, str]:
        headers = {"Accept": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        if self.body is not None:
            headers["Content-Type"] = "application/json"
        return headers

    def body_text(self) -> str | None:
        return None if self.body is None else json.dumps(self.body)


def _access(email: str) -> str:
    return token_pair_for(User.objects.get(email=email))["access"]


def _open_attempt(quiz: Quiz, student: User) -> QuizSubmission:
    """The student's open attempt on `quiz` (started once, then reused by later runs)."""
    submission = QuizSubmission.objects.filter(
        quiz=quiz, student=student, submitted_at__isnull=True
    ).first()
    return submission or quiz_attempt_start(quiz=quiz, student=student)


def endpoints() -> list[Endpoint]:
    """Every endpoint of the issue's table, as the demo student, instructor or anonymous."""
    course = Course.objects.get(slug=DEMO_COURSE_SLUG)
    maria = User.objects.get(email="maria@example.com")
    student = _access(maria.email)
    lesson = Lesson.objects.filter(module__course=course).order_by("module__order", "order")[0]
    quiz = Quiz.objects.filter(course=course, is_published=True).order_by("id").first()
    big = Course.objects.filter(slug=BIG_COURSE_SLUG).select_related("instructor").first()
    big = big or Course.objects.select_related("instructor").get(pk=course.pk)
    chosen = [
        Endpoint("reference behind JWT (student)", "GET", "/bench/reference-auth/", student),
        Endpoint("GET courses/ (anonymous)", "GET", f"{API}courses/"),
        Endpoint("GET courses/{id}/ (anonymous)", "GET", f"{API}courses/{course.pk}/"),
        Endpoint(
            "GET courses/{id}/outline/ (anonymous)", "GET", f"{API}courses/{course.pk}/outline/"
        ),
        Endpoint(
            "GET lessons/?course_id= (student)",
            "GET",
            f"{API}lessons/?course_id={course.pk}",
            student,
        ),
        Endpoint("GET enrollments/ (student)", "GET", f"{API}enrollments/", student),
        Endpoint(
            "GET courses/{id}/progress/ (student)",
            "GET",
            f"{API}courses/{course.pk}/progress/",
            student,
        ),
    ]
    if quiz is not None:
        submission = _open_attempt(quiz, maria)
        question = Question.objects.filter(quiz=quiz).exclude(choices=None).order_by("order")[0]
        choice = question.choices.order_by("id")[0]
        answers = {"answers": [{"question": question.pk, "choices": [choice.pk]}]}
        chosen.append(
            Endpoint(
                "PUT quiz-submissions/{id}/answers/",
                "PUT",
                f"{API}quiz-submissions/{submission.pk}/answers/",
                student,
                answers,
            )
        )
    chosen += [
        Endpoint(
            "POST lessons/{id}/complete/",
            "POST",
            f"{API}lessons/{lesson.pk}/complete/",
            student,
            {},
        ),
        Endpoint(
            "POST users/login/ (2 connections)",
            "POST",
            f"{API}users/login/",
            None,
            {"email": maria.email, "password": DEMO_PASSWORD},
            connections=2,
            seconds=6,
        ),
        Endpoint(
            f"GET enrollments/?course_id= (instructor, {_enrolled(big)} students)",
            "GET",
            f"{API}enrollments/?course_id={big.pk}",
            _access(big.instructor.email),
        ),
    ]
    if _routed(f"{API}courses/{big.pk}/gradebook/"):
        chosen.append(
            Endpoint(
                "GET courses/{id}/gradebook/ (instructor)",
                "GET",
                f"{API}courses/{big.pk}/gradebook/",
                _access(big.instructor.email),
            )
        )
    if _routed(f"{API}notifications/"):
        chosen.append(
            Endpoint("GET notifications/ (student)", "GET", f"{API}notifications/", student)
        )
    return chosen


def _enrolled(course: Course) -> int:
    return Enrollment.objects.filter(course=course).count()


def _routed(path: str) -> bool:
    try:
        match = resolve(path)
    except Resolver404:
        return False
    return match.func is not api_not_found


def count_queries(endpoint: Endpoint) -> None:
    """Send `endpoint` twice through the test client: the second one's status and queries.

    The second of two identical requests is what the load sees: caches are warm.
    """
    client = Client()
    extra = {"HTTP_AUTHORIZATION": f"Bearer {endpoint.token}"} if endpoint.token else {}
    send = getattr(client, endpoint.method.lower())
    args = () if endpoint.body is None else (endpoint.body_text(), "application/json")
    send(endpoint.path, *args, **extra)
    with CaptureQueriesContext(connection) as queries:
        response = send(endpoint.path, *args, **extra)
    endpoint.status = response.status_code
    endpoint.queries = len(queries)
    if not 200 <= response.status_code < 300:
        endpoint.notes.append(f"answered {response.status_code}: {response.content[:200]!r}")
