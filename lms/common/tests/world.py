"""A small school with one object of every kind, and the URLconf's routes filled with its ids."""

import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from rest_framework_simplejwt.tokens import RefreshToken

from lms.courses.models import ContentItem
from lms.courses.tests.factories import (
    ContentItemFactory,
    CourseFactory,
    LessonFactory,
    ModuleFactory,
)
from lms.enrollments.models import Enrollment
from lms.enrollments.tests.factories import (
    CertificateFactory,
    EnrollmentFactory,
    LessonProgressFactory,
)
from lms.payments.models import Payment
from lms.payments.tests.factories import PaymentFactory
from lms.quizzes.tests.factories import QuizSubmissionFactory, quiz_with_every_kind
from lms.users.tests.factories import AdminFactory, InstructorFactory, StudentFactory

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
ROLES = ("anonymous", "student", "instructor", "admin")


@dataclass
class School:
    """Who is who, and the ids of their objects, by the noun a route names them with."""

    users: dict
    ids: dict
    hidden: dict = field(default_factory=dict)

    def headers(self, role: str) -> dict:
        user = self.users.get(role)
        if user is None:
            return {}
        token = RefreshToken.for_user(user).access_token
        return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def build_school() -> School:
    """Instructor A teaches a published paid course and a draft; student S is enrolled in the
    first (paid, a graded quiz attempt, an open one, a certificate); B and T are outsiders
    whose objects (`hidden`) S and A must never be able to tell from missing ones."""
    instructor, admin_user, student = InstructorFactory(), AdminFactory(), StudentFactory()
    course = CourseFactory(instructor=instructor, price=Decimal("49.00"))
    module = ModuleFactory(course=course, order=1)
    lesson = LessonFactory(module=module, order=1)
    LessonFactory(module=module, order=2, is_preview=True)
    item = ContentItemFactory(lesson=lesson, order=1)
    ContentItemFactory(
        lesson=lesson, order=2, kind=ContentItem.Kind.PDF, text="", file=_pdf_upload()
    )
    enrollment = EnrollmentFactory(student=student, course=course)
    LessonProgressFactory(enrollment=enrollment, lesson=lesson)
    payment = PaymentFactory(
        student=student, course=course, status=Payment.Status.SUCCEEDED, paid_at=timezone.now()
    )
    quiz = quiz_with_every_kind(course=course, max_attempts=50)
    question = quiz.questions.get(order=1)
    choice = question.choices.first()
    graded = QuizSubmissionFactory(quiz=quiz, student=student, attempt=1, passed=True)
    QuizSubmissionFactory(quiz=quiz, student=student, attempt=2)
    done = CourseFactory(instructor=instructor)
    certificate = CertificateFactory(
        enrollment=EnrollmentFactory(
            student=student, course=done, status=Enrollment.Status.COMPLETED
        )
    )
    ids = {
        "user": student.pk,
        "course": course.pk,
        "module": module.pk,
        "lesson": lesson.pk,
        "content-item": item.pk,
        "enrollment": enrollment.pk,
        "certificate": certificate.pk,
        "code": certificate.code,
        "payment": payment.pk,
        "quiz": quiz.pk,
        "question": question.pk,
        "choice": choice.pk,
        "quiz-submission": graded.pk,
        "instructor": instructor.pk,
    }
    school = School(
        users={"student": student, "instructor": instructor, "admin": admin_user}, ids=ids
    )
    school.hidden = _outsiders(school)
    return school


def _pdf_upload():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("notes.pdf", PDF_BYTES, content_type="application/pdf")


def _outsiders(school: School) -> dict:
    """Objects of another instructor and another student, which S and A must not see."""
    other_instructor, other_student = InstructorFactory(), StudentFactory()
    draft = CourseFactory(instructor=other_instructor, is_published=False)
    draft_module = ModuleFactory(course=draft, order=1)
    draft_lesson = LessonFactory(module=draft_module, order=1, is_preview=True)
    draft_item = ContentItemFactory(lesson=draft_lesson, order=1)
    hidden_quiz = quiz_with_every_kind(course=draft, is_published=False)
    published = CourseFactory(instructor=other_instructor, price=Decimal("10.00"))
    unpublished_quiz = quiz_with_every_kind(course=published, is_published=False)
    enrollment = EnrollmentFactory(student=other_student, course=published)
    payment = PaymentFactory(student=other_student, course=published)
    submission = QuizSubmissionFactory(
        quiz=quiz_with_every_kind(course=published), student=other_student
    )
    certificate = CertificateFactory(
        enrollment=EnrollmentFactory(
            student=other_student,
            course=CourseFactory(instructor=other_instructor),
            status=Enrollment.Status.COMPLETED,
        )
    )
    return {
        "draft_course": draft.pk,
        "draft_module": draft_module.pk,
        "draft_lesson": draft_lesson.pk,
        "draft_item": draft_item.pk,
        "draft_quiz": hidden_quiz.pk,
        "draft_question": hidden_quiz.questions.get(order=1).pk,
        "unpublished_quiz": unpublished_quiz.pk,
        "unpublished_question": unpublished_quiz.questions.get(order=1).pk,
        "enrollment": enrollment.pk,
        "payment": payment.pk,
        "submission": submission.pk,
        "certificate": certificate.pk,
        "user": other_student.pk,
    }


# --- routes -------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    """One URL pattern of the URLconf, its name and the regex of the whole path."""

    pattern: str
    name: str | None
    regex: str

    @property
    def is_admin(self) -> bool:
        return self.pattern.startswith("admin/")


def all_routes() -> list[Route]:
    """Every URL pattern of the project's URLconf, admin and documentation included."""

    def walk(resolver, prefix_regex: str, prefix: str):
        for entry in resolver.url_patterns:
            regex = prefix_regex + _regex_of(entry)
            text = prefix + str(entry.pattern)
            if isinstance(entry, URLResolver):
                yield from walk(entry, regex, text)
            elif isinstance(entry, URLPattern):
                yield Route(text, entry.name, regex)

    return list(walk(get_resolver(), "", ""))


def _regex_of(entry) -> str:
    regex = entry.pattern.regex.pattern
    return regex.removeprefix("^").removesuffix("$").removesuffix(r"\Z")


_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>(?P<body>(?:[^()]|\([^()]*\))*)\)")
_NOUNS = {
    "user": "user",
    "course": "course",
    "module": "module",
    "lesson": "lesson",
    "content-item": "content-item",
    "enrollment": "enrollment",
    "certificate": "certificate",
    "payment": "payment",
    "quiz-submission": "quiz-submission",
    "quiz": "quiz",
    "question": "question",
}


def noun_of(route: Route) -> str | None:
    """The kind of object a route's `pk` names (`lesson-complete` → lesson)."""
    name = route.name or ""
    for prefix in sorted(_NOUNS, key=len, reverse=True):
        if name == prefix or name.startswith(prefix + "-"):
            return _NOUNS[prefix]
    return None


def fill(route: Route, values: dict) -> str | None:
    """The path with each named group replaced by `values[name]`; None if one is missing."""
    missing = False

    def group(match):
        nonlocal missing
        value = values.get(match["name"])
        if value is None:
            missing = True
            return ""
        return str(value)

    path = _GROUP.sub(group, route.regex)
    # What is left of the regex: escapes and the optional format suffix group.
    path = path.replace("\\", "")
    if missing or re.search(r"[()\[\]^$?*+]", path):
        return None
    return "/" + path


def admin_values(route: Route, school: School) -> dict:
    """Path values for an admin route: the model's first row, and the app label."""
    values = {"app_label": "courses", "content_type_id": 1, "object_id": "1"}
    for model in admin.site._registry:
        prefix = f"{model._meta.app_label}_{model._meta.model_name}_"
        if (route.name or "").startswith(prefix):
            first = model._default_manager.order_by("pk").first()
            values["object_id"] = first.pk if first else 1
    return values
