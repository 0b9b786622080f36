"""Factories for quizzes, questions, choices and submissions."""

import factory
from django.utils import timezone

from lms.courses.tests.factories import CourseFactory
from lms.quizzes.models import Choice, Question, Quiz, QuizSubmission
from lms.users.tests.factories import StudentFactory


class QuizFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Quiz

    course = factory.SubFactory(CourseFactory)
    title = factory.Sequence(lambda n: f"Quiz {n}")
    pass_percent = 60
    max_attempts = 3
    is_published = True


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    quiz = factory.SubFactory(QuizFactory)
    text = factory.Sequence(lambda n: f"Question {n}?")
    kind = Question.Kind.SINGLE_CHOICE
    points = 1
    order = factory.Sequence(lambda n: n + 1)


class ChoiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Choice

    question = factory.SubFactory(QuestionFactory)
    text = factory.Sequence(lambda n: f"Choice {n}")
    is_correct = False


class QuizSubmissionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QuizSubmission

    quiz = factory.SubFactory(QuizFactory)
    student = factory.SubFactory(StudentFactory)
    attempt = 1
    started_at = factory.LazyFunction(timezone.now)
