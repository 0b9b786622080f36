"""Fixtures for enrollment tests: courses with lessons, and one client per role."""

import pytest

from lms.courses.tests.factories import CourseFactory, LessonFactory, ModuleFactory
from lms.users.tests.factories import InstructorFactory, StudentFactory


@pytest.fixture
def make_course(db):
    """`make_course(lessons=3, **course_fields)` → (course, [lessons]) in one module."""

    def make(lessons: int = 3, **fields):
        course = CourseFactory(**fields)
        module = ModuleFactory(course=course, order=1)
        return course, [LessonFactory(module=module, order=i + 1) for i in range(lessons)]

    return make


@pytest.fixture
def other_student(db):
    return StudentFactory()


@pytest.fixture
def other_instructor(db):
    return InstructorFactory()


@pytest.fixture
def client_as(api_client, auth_client, request):
    """`client_as("role")`: a client for one of the fixtures' users, or anonymous."""

    def make(role: str):
        return api_client if role == "anonymous" else auth_client(request.getfixturevalue(role))

    return make
