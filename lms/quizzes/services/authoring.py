"""Authoring: quizzes (create, change, delete, duplicate) and their questions and choices."""

import logging

from django.core.exceptions import ValidationError
from django.db import transaction

from lms.common.exceptions import Conflict
from lms.common.ordering import order_close_gap, order_insert_position, order_move
from lms.courses.models import Course, Lesson

from ..models import Choice, Question, Quiz
from ..selectors import quiz_has_submissions
from ..shuffle import insertion_order

logger = logging.getLogger(__name__)

Kind = Question.Kind
ONE_CORRECT_KINDS = (Kind.SINGLE_CHOICE, Kind.TRUE_FALSE)

QUESTIONS_LOCKED = (
    "This quiz already has submissions, so its questions cannot change; "
    "duplicate the quiz and edit the copy."
)


# --- quizzes -------------------------------------------------------------------------


def quiz_lesson_check(course: Course, lesson: Lesson | None) -> None:
    """A quiz's lesson must belong to its course (400 otherwise)."""
    if lesson is not None and lesson.module.course_id != course.pk:
        raise ValidationError({"lesson": ["This lesson belongs to another course."]})


QUIZ_FIELDS = (
    "lesson",
    "title",
    "description",
    "time_limit_minutes",
    "max_attempts",
    "pass_percent",
    "is_published",
    "available_from",
    "due_at",
)


def quiz_window_check(available_from, due_at) -> None:
    """A quiz's due time comes after it opens (400 otherwise)."""
    if available_from is not None and due_at is not None and due_at <= available_from:
        raise ValidationError({"due_at": ["Must be after `available_from`."]})


def quiz_create(*, course: Course, **data) -> Quiz:
    """Add a quiz to `course`; students see it once it is published."""
    with transaction.atomic():
        quiz_lesson_check(course, data.get("lesson"))
        quiz_window_check(data.get("available_from"), data.get("due_at"))
        quiz = Quiz.objects.create(
            course=course, **{k: v for k, v in data.items() if k in QUIZ_FIELDS}
        )
        logger.info("Created quiz %s in course %s", quiz.pk, course.pk)
        return quiz


def quiz_update(*, quiz: Quiz, data: dict) -> Quiz:
    """Change a quiz's settings; its course never changes."""
    with transaction.atomic():
        quiz = Quiz.objects.select_for_update().select_related("course").get(pk=quiz.pk)
        if "course" in data and data["course"].pk != quiz.course_id:
            raise ValidationError({"course": ["A quiz cannot move to another course."]})
        if "lesson" in data:
            quiz_lesson_check(quiz.course, data["lesson"])
        changed = [name for name in QUIZ_FIELDS if name in data]
        for name in changed:
            setattr(quiz, name, data[name])
        quiz_window_check(quiz.available_from, quiz.due_at)
        quiz.save(update_fields=[*changed, "updated_at"])
        return quiz


def quiz_delete(*, quiz: Quiz) -> None:
    """Delete a quiz nobody has attempted (attempts are students' records: unpublish instead)."""
    with transaction.atomic():
        quiz = Quiz.objects.select_for_update().get(pk=quiz.pk)
        if quiz_has_submissions(quiz.pk):
            raise Conflict("Students have attempted this quiz; unpublish it instead.")
        quiz.delete()


def quiz_duplicate(*, quiz: Quiz) -> Quiz:
    """Copy a quiz with its questions and choices as an unpublished draft."""
    with transaction.atomic():
        copy = Quiz.objects.create(
            course_id=quiz.course_id,
            lesson_id=quiz.lesson_id,
            title=f"{quiz.title} (copy)"[:200],
            description=quiz.description,
            time_limit_minutes=quiz.time_limit_minutes,
            max_attempts=quiz.max_attempts,
            pass_percent=quiz.pass_percent,
            available_from=quiz.available_from,
            due_at=quiz.due_at,
            is_published=False,
        )
        questions = list(quiz.questions.order_by("order").prefetch_related("choices"))
        new_questions = Question.objects.bulk_create(
            [
                Question(
                    quiz=copy,
                    text=q.text,
                    kind=q.kind,
                    points=q.points,
                    order=q.order,
                    accepted_answers=list(q.accepted_answers),
                    numeric_answer=q.numeric_answer,
                    tolerance=q.tolerance,
                )
                for q in questions
            ]
        )
        if new_questions and new_questions[0].pk is None:  # backends without RETURNING
            new_questions = list(copy.questions.order_by("order"))
        Choice.objects.bulk_create(
            [
                Choice(
                    question=new,
                    text=choice.text,
                    is_correct=choice.is_correct,
                    position=choice.position,
                )
                for old, new in zip(questions, new_questions, strict=True)
                # In id order: an ordering question's ids keep telling nothing.
                for choice in sorted(old.choices.all(), key=lambda c: c.pk)
            ]
        )
        logger.info("Duplicated quiz %s as %s", quiz.pk, copy.pk)
        return copy


# --- questions -----------------------------------------------------------------------


def question_errors(
    kind: str,
    choices: list[dict],
    accepted: list[str],
    *,
    numeric_answer=None,
    tolerance=None,
) -> dict:
    """What is wrong with a question of `kind` with these choices, accepted answers and
    numeric answer and tolerance."""
    errors: dict[str, list[str]] = {}
    texts = [c["text"].strip().casefold() for c in choices]
    if len(set(texts)) != len(texts):
        errors["choices"] = ["Two choices have the same text."]
    if kind == Kind.NUMERIC:
        if numeric_answer is None:
            errors["numeric_answer"] = ["A numeric question needs its answer."]
        if tolerance is not None and tolerance < 0:
            errors["tolerance"] = ["Must be 0 or more."]
    else:
        for name, value in (("numeric_answer", numeric_answer), ("tolerance", tolerance)):
            if value is not None:
                errors[name] = ["Only numeric questions have this."]
    if kind in (Kind.SHORT_ANSWER, Kind.NUMERIC) and choices:
        named = "short-answer" if kind == Kind.SHORT_ANSWER else "numeric"
        errors["choices"] = [f"A {named} question has no choices."]
    if kind == Kind.SHORT_ANSWER:
        if not accepted:
            errors["accepted_answers"] = ["Give at least one accepted answer."]
        return errors
    if accepted:
        errors["accepted_answers"] = ["Only short-answer questions have accepted answers."]
    if kind == Kind.ORDERING:
        if len(choices) < 2:
            errors.setdefault("choices", []).append("An ordering question needs two choices.")
        if any(c.get("is_correct") for c in choices):
            errors.setdefault("choices", []).append(
                "Ordering choices are not marked correct: their order is the answer."
            )
        return errors
    correct = sum(1 for c in choices if c.get("is_correct"))
    if kind == Kind.TRUE_FALSE and len(choices) != 2:
        errors.setdefault("choices", []).append("A true/false question has exactly two choices.")
    if kind in ONE_CORRECT_KINDS and correct != 1:
        errors.setdefault("choices", []).append("Mark exactly one choice as correct.")
    if kind == Kind.MULTIPLE_CHOICE and correct < 1:
        errors.setdefault("choices", []).append("Mark at least one choice as correct.")
    return errors


def accepted_answers_cleaned(accepted: list[str]) -> list[str]:
    """Accepted answers trimmed, blanks and case-insensitive repeats dropped."""
    cleaned: list[str] = []
    for answer in accepted:
        answer = answer.strip()
        if answer and answer.casefold() not in {a.casefold() for a in cleaned}:
            cleaned.append(answer)
    return cleaned


def _lock_quiz_for_questions(quiz_id: int) -> Quiz:
    """Lock the quiz: question writes and the first start of it queue behind each other."""
    quiz = Quiz.objects.select_for_update().get(pk=quiz_id)
    if quiz_has_submissions(quiz.pk):
        raise Conflict(QUESTIONS_LOCKED)
    return quiz


def _replace_choices(question: Question, choices: list[dict]) -> None:
    question.choices.all().delete()
    rows = [
        Choice(
            question=question,
            text=c["text"].strip(),
            is_correct=c.get("is_correct", False),
            position=position,
        )
        for position, c in enumerate(choices)
    ]
    if question.kind == Kind.ORDERING:
        rows = insertion_order(rows)
    Choice.objects.bulk_create(rows)


def _numeric(kind: str, numeric_answer, tolerance) -> tuple:
    """(numeric_answer, tolerance) as stored: a numeric question's tolerance defaults to 0."""
    if kind == Kind.NUMERIC and tolerance is None:
        tolerance = 0
    return numeric_answer, tolerance


def question_create(
    *,
    quiz: Quiz,
    text: str,
    kind: str,
    points: int = 1,
    order: int | None = None,
    choices: list[dict] | None = None,
    accepted_answers: list[str] | None = None,
    numeric_answer=None,
    tolerance=None,
) -> Question:
    """Add a question with its choices at the end of `quiz`, or at `order` (others move down)."""
    choices = choices or []
    accepted = accepted_answers_cleaned(accepted_answers or [])
    errors = question_errors(
        kind, choices, accepted, numeric_answer=numeric_answer, tolerance=tolerance
    )
    if errors:
        raise ValidationError(errors)
    numeric_answer, tolerance = _numeric(kind, numeric_answer, tolerance)
    with transaction.atomic():
        quiz = _lock_quiz_for_questions(quiz.pk)
        siblings = Question.objects.filter(quiz=quiz)
        order = order_insert_position(siblings, order)
        question = Question.objects.create(
            quiz=quiz,
            text=text,
            kind=kind,
            points=points,
            order=order,
            accepted_answers=accepted,
            numeric_answer=numeric_answer,
            tolerance=tolerance,
        )
        _replace_choices(question, choices)
        return question


def question_update(*, question: Question, data: dict) -> Question:
    """Change a question; `choices`, when given, replace the old ones as a whole."""
    with transaction.atomic():
        _lock_quiz_for_questions(question.quiz_id)
        question = Question.objects.select_for_update().get(pk=question.pk)
        if "quiz" in data and data["quiz"].pk != question.quiz_id:
            raise ValidationError({"quiz": ["A question cannot move to another quiz."]})
        kind = data.get("kind", question.kind)
        if "choices" in data:
            choices = data["choices"]
        else:
            choices = list(question.choices.order_by("position", "id").values("text", "is_correct"))
        accepted = accepted_answers_cleaned(data.get("accepted_answers", question.accepted_answers))
        numeric = {
            name: data.get(name, getattr(question, name) if kind == Kind.NUMERIC else None)
            for name in ("numeric_answer", "tolerance")
        }
        errors = question_errors(kind, choices, accepted, **numeric)
        if errors:
            raise ValidationError(errors)
        question.numeric_answer, question.tolerance = _numeric(kind, **numeric)
        if data.get("order") is not None and data["order"] != question.order:
            order_move(question, Question.objects.filter(quiz_id=question.quiz_id), data["order"])
        question.kind = kind
        question.accepted_answers = accepted
        for name in ("text", "points"):
            if name in data:
                setattr(question, name, data[name])
        question.save(
            update_fields=[
                *("kind", "accepted_answers", "numeric_answer", "tolerance", "text", "points"),
                "updated_at",
            ]
        )
        if "choices" in data:
            _replace_choices(question, choices)
        return question


def question_delete(*, question: Question) -> None:
    """Delete a question; the later ones move up so `order` stays dense."""
    with transaction.atomic():
        quiz = _lock_quiz_for_questions(question.quiz_id)
        # Read it again under the lock: a deletion just before may have moved it up.
        question = Question.objects.get(pk=question.pk)
        siblings = Question.objects.filter(quiz=quiz)
        removed = question.order
        question.delete()
        order_close_gap(siblings, removed)
