"""Fixtures for the courses tests: a course with content and a reader of every kind."""

import pytest

from lms.enrollments.models import Enrollment
from lms.enrollments.tests.factories import EnrollmentFactory
from lms.users.tests.factories import InstructorFactory, StudentFactory

from .factories import ContentItemFactory, CourseFactory, LessonFactory, ModuleFactory

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# A real 1x1 PNG: the type detector does not take 8 magic bytes and zeros for an image.
PNG_BYTES = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
    b"\x00\x1f\x15\xc4\x89\x00\x00\x00\x0bIDATx\x9cc`\x00\x02\x00\x00\x05\x00\x01z^\xab?"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)


@pytest.fixture
def course(instructor):
    """A published course by `instructor`: one module, a lesson and a preview lesson."""
    course = CourseFactory(instructor=instructor, title="Python", slug="python")
    module = ModuleFactory(course=course, order=1)
    lesson = LessonFactory(module=module, order=1, title="Closed lesson")
    preview = LessonFactory(module=module, order=2, title="Preview lesson", is_preview=True)
    ContentItemFactory(lesson=lesson, order=1)
    ContentItemFactory(lesson=preview, order=1)
    return course


@pytest.fixture
def module(course):
    return course.modules.get()


@pytest.fixture
def lesson(module):
    return module.lessons.get(is_preview=False)


@pytest.fixture
def preview_lesson(module):
    return module.lessons.get(is_preview=True)


@pytest.fixture
def item(lesson):
    return lesson.content_items.get()


@pytest.fixture
def enrolled_student(course):
    return EnrollmentFactory(course=course).student


@pytest.fixture
def completed_student(course):
    return EnrollmentFactory(course=course, status=Enrollment.Status.COMPLETED).student


@pytest.fixture
def cancelled_student(course):
    return EnrollmentFactory(course=course, status=Enrollment.Status.CANCELLED).student


@pytest.fixture
def other_student(db):
    return StudentFactory()


@pytest.fixture
def other_instructor(db):
    return InstructorFactory()


@pytest.fixture
def draft(instructor):
    """An unpublished course by `instructor` with one lesson and one item."""
    course = CourseFactory(instructor=instructor, title="Draft", slug="draft", is_published=False)
    lesson = LessonFactory(module=ModuleFactory(course=course, order=1), order=1, is_preview=True)
    ContentItemFactory(lesson=lesson, order=1)
    return course


@pytest.fixture
def client_as(api_client, auth_client, request):
    """`client_as("role")`: a client for one of the fixtures' users, or anonymous."""

    def make(role: str):
        if role == "anonymous":
            return api_client
        return auth_client(request.getfixturevalue(role))

    return make
