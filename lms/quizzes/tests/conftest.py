"""Fixtures for the quiz tests: a course with a four-kind quiz and a reader of every role."""

from datetime import timedelta

import pytest
from django.utils import timezone

from lms.courses.tests.factories import CourseFactory
from lms.enrollments.tests.factories import EnrollmentFactory
from lms.users.tests.factories import InstructorFactory, StudentFactory

from .factories import QuizSubmissionFactory, quiz_with_every_kind


@pytest.fixture
def course(instructor):
    return CourseFactory(instructor=instructor)


@pytest.fixture
def quiz(course):
    return quiz_with_every_kind(course=course, title="Basics")


@pytest.fixture
def enrolled(course):
    """A student enrolled in `course`."""
    return EnrollmentFactory(course=course).student


@pytest.fixture
def outsider(db):
    """A student not enrolled in `course`."""
    return StudentFactory()


@pytest.fixture
def other_instructor(db):
    return InstructorFactory()


def question(quiz, order):
    return quiz.questions.get(order=order)


def choice(quiz, order, text):
    return question(quiz, order).choices.get(text=text)


@pytest.fixture
def answers_for(quiz):
    """Build a submit payload: `answers_for(q1="Paris", q2=["2","3"], q3="True", q4="42")`."""

    def build(**given):
        payload = []
        for key, value in given.items():
            order = int(key[1:])
            q = question(quiz, order)
            if q.kind == q.Kind.SHORT_ANSWER:
                payload.append({"question": q.pk, "text": value})
            else:
                values = value if isinstance(value, list) else [value]
                payload.append(
                    {"question": q.pk, "choices": [choice(quiz, order, v).pk for v in values]}
                )
        return payload

    return build


@pytest.fixture
def all_correct(answers_for):
    return answers_for(q1="Paris", q2=["2", "3"], q3="True", q4="42")


@pytest.fixture
def attempt(enrolled, quiz):
    """The enrolled student's open attempt, ten minutes left."""
    return QuizSubmissionFactory(
        quiz=quiz, student=enrolled, expires_at=timezone.now() + timedelta(minutes=10)
    )


@pytest.fixture
def expired(enrolled, quiz):
    """The enrolled student's open attempt whose time ran out an hour ago."""
    long_ago = timezone.now() - timedelta(hours=1)
    return QuizSubmissionFactory(
        quiz=quiz,
        student=enrolled,
        started_at=long_ago - timedelta(minutes=10),
        expires_at=long_ago,
    )
