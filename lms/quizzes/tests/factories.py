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
    # A passed attempt is a graded one; anything else defaults to an open attempt.
    status = factory.LazyAttribute(
        lambda o: QuizSubmission.Status.GRADED if o.passed else QuizSubmission.Status.IN_PROGRESS
    )
    passed = False
    submitted_at = factory.LazyAttribute(
        lambda o: None if o.status == QuizSubmission.Status.IN_PROGRESS else o.started_at
    )


def quiz_with_every_kind(**quiz_kwargs) -> Quiz:
    """A published quiz with one question of each kind (worth 1, 2, 1 and 1 points).

    Correct answers: Q1 "Paris"; Q2 "2" and "3"; Q3 "True"; Q4 "42" (or "forty-two").
    """
    quiz = QuizFactory(**quiz_kwargs)
    single = QuestionFactory(quiz=quiz, order=1, text="Capital of France?")
    for text in ("Paris", "Rome", "Madrid"):
        ChoiceFactory(question=single, text=text, is_correct=text == "Paris")
    multiple = QuestionFactory(
        quiz=quiz, order=2, kind=Question.Kind.MULTIPLE_CHOICE, points=2, text="Primes?"
    )
    for text in ("2", "3", "4"):
        ChoiceFactory(question=multiple, text=text, is_correct=text in {"2", "3"})
    true_false = QuestionFactory(
        quiz=quiz, order=3, kind=Question.Kind.TRUE_FALSE, text="Water is wet."
    )
    for text in ("True", "False"):
        ChoiceFactory(question=true_false, text=text, is_correct=text == "True")
    QuestionFactory(
        quiz=quiz,
        order=4,
        kind=Question.Kind.SHORT_ANSWER,
        text="The answer to everything?",
        accepted_answers=["42", "forty-two"],
    )
    return quiz
