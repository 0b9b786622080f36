"""A quiz of the numeric and ordering kinds, for the tests of those kinds."""

from decimal import Decimal

from lms.quizzes.models import Question, Quiz
from lms.quizzes.services import question_create

from .factories import QuizFactory

#: The ordering question's choices, in their right (authored) order.
STEPS = ["alpha-step", "bravo-step", "charlie-step", "delta-step", "echo-step", "foxtrot-step"]
ANSWER = Decimal("273.150000")
TOLERANCE = Decimal("0.050000")


def numeric_and_ordering_quiz(**quiz_kwargs) -> Quiz:
    """A published quiz: Q1 numeric (273.15 ± 0.05, 1 point), Q2 ordering (STEPS, 2 points)."""
    quiz = QuizFactory(**quiz_kwargs)
    question_create(
        quiz=quiz,
        text="Zero Celsius in kelvin?",
        kind=Question.Kind.NUMERIC,
        numeric_answer=ANSWER,
        tolerance=TOLERANCE,
    )
    question_create(
        quiz=quiz,
        text="Order the steps.",
        kind=Question.Kind.ORDERING,
        points=2,
        choices=[{"text": text} for text in STEPS],
    )
    return quiz


def authored_ids(question: Question) -> list[int]:
    """The ordering question's choice ids in the right order."""
    by_text = {c.text: c.pk for c in question.choices.all()}
    return [by_text[text] for text in STEPS]
