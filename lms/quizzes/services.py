"""Authoring quizzes, taking them (start, submit), grading on the server and reviewing."""

import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils import timezone
from rest_framework.exceptions import PermissionDenied, ValidationError

from lms.common.exceptions import Conflict
from lms.courses.models import Course, Lesson
from lms.enrollments.selectors import is_enrolled

from .grading import apply_score, grade_attempt, validated_answers
from .models import Choice, Question, Quiz, QuizSubmission
from .selectors import attempts_used, quiz_has_submissions

logger = logging.getLogger(__name__)

Kind = Question.Kind
Status = QuizSubmission.Status
ONE_CORRECT_KINDS = (Kind.SINGLE_CHOICE, Kind.TRUE_FALSE)
# Moves `order` values out of the way first: the (quiz, order) constraint is not deferred.
ORDER_PARK_OFFSET = 1_000_000

QUESTIONS_LOCKED = (
    "This quiz already has submissions, so its questions cannot change; "
    "duplicate the quiz and edit the copy."
)


# --- quizzes -------------------------------------------------------------------------


def _check_lesson(course: Course, lesson: Lesson | None) -> None:
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
)


def quiz_create(*, course: Course, **data) -> Quiz:
    """Add a quiz to `course`; students see it once it is published."""
    with transaction.atomic():
        _check_lesson(course, data.get("lesson"))
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
            _check_lesson(quiz.course, data["lesson"])
        changed = [name for name in QUIZ_FIELDS if name in data]
        for name in changed:
            setattr(quiz, name, data[name])
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
                )
                for q in questions
            ]
        )
        if new_questions and new_questions[0].pk is None:  # backends without RETURNING
            new_questions = list(copy.questions.order_by("order"))
        Choice.objects.bulk_create(
            [
                Choice(question=new, text=choice.text, is_correct=choice.is_correct)
                for old, new in zip(questions, new_questions, strict=True)
                for choice in old.choices.all()
            ]
        )
        logger.info("Duplicated quiz %s as %s", quiz.pk, copy.pk)
        return copy


# --- questions -----------------------------------------------------------------------


def _question_errors(kind: str, choices: list[dict], accepted: list[str]) -> dict:
    """What is wrong with a question of `kind` with these choices and accepted answers."""
    correct = sum(1 for c in choices if c.get("is_correct"))
    errors: dict[str, list[str]] = {}
    texts = [c["text"].strip().casefold() for c in choices]
    if len(set(texts)) != len(texts):
        errors["choices"] = ["Two choices have the same text."]
    if kind == Kind.SHORT_ANSWER:
        if choices:
            errors["choices"] = ["A short-answer question has no choices."]
        if not accepted:
            errors["accepted_answers"] = ["Give at least one accepted answer."]
        return errors
    if accepted:
        errors["accepted_answers"] = ["Only short-answer questions have accepted answers."]
    if kind == Kind.TRUE_FALSE and len(choices) != 2:
        errors.setdefault("choices", []).append("A true/false question has exactly two choices.")
    if kind in ONE_CORRECT_KINDS and correct != 1:
        errors.setdefault("choices", []).append("Mark exactly one choice as correct.")
    if kind == Kind.MULTIPLE_CHOICE and correct < 1:
        errors.setdefault("choices", []).append("Mark at least one choice as correct.")
    return errors


def _clean_accepted(accepted: list[str]) -> list[str]:
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


def _shift(siblings: models.QuerySet, selection: models.QuerySet, delta: int) -> None:
    """Add `delta` to the `order` of `selection`, in two passes that never collide."""
    selection.update(order=F("order") + ORDER_PARK_OFFSET)
    siblings.filter(order__gte=ORDER_PARK_OFFSET).update(
        order=F("order") - ORDER_PARK_OFFSET + delta
    )


def _replace_choices(question: Question, choices: list[dict]) -> None:
    question.choices.all().delete()
    Choice.objects.bulk_create(
        [
            Choice(question=question, text=c["text"].strip(), is_correct=c.get("is_correct", False))
            for c in choices
        ]
    )


def question_create(
    *,
    quiz: Quiz,
    text: str,
    kind: str,
    points: int = 1,
    order: int | None = None,
    choices: list[dict] | None = None,
    accepted_answers: list[str] | None = None,
) -> Question:
    """Add a question with its choices at the end of `quiz`, or at `order` (others move down)."""
    choices = choices or []
    accepted = _clean_accepted(accepted_answers or [])
    errors = _question_errors(kind, choices, accepted)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        quiz = _lock_quiz_for_questions(quiz.pk)
        siblings = Question.objects.filter(quiz=quiz)
        size = siblings.count()
        if order is None:
            order = size + 1
        elif not 1 <= order <= size + 1:
            raise ValidationError({"order": [f"Must be between 1 and {size + 1}."]})
        else:
            _shift(siblings, siblings.filter(order__gte=order), +1)
        question = Question.objects.create(
            quiz=quiz, text=text, kind=kind, points=points, order=order, accepted_answers=accepted
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
            choices = list(question.choices.values("text", "is_correct"))
        accepted = _clean_accepted(data.get("accepted_answers", question.accepted_answers))
        errors = _question_errors(kind, choices, accepted)
        if errors:
            raise ValidationError(errors)
        if data.get("order") is not None and data["order"] != question.order:
            _question_move(question, data["order"])
        question.kind = kind
        question.accepted_answers = accepted
        for name in ("text", "points"):
            if name in data:
                setattr(question, name, data[name])
        question.save(update_fields=["kind", "accepted_answers", "text", "points", "updated_at"])
        if "choices" in data:
            _replace_choices(question, choices)
        return question


def _question_move(question: Question, order: int) -> None:
    siblings = Question.objects.filter(quiz_id=question.quiz_id)
    size = siblings.count()
    if not 1 <= order <= size:
        raise ValidationError({"order": [f"Must be between 1 and {size}."]})
    current = question.order
    siblings.filter(pk=question.pk).update(order=0)  # 0 is never a sibling's position
    if order < current:
        _shift(siblings, siblings.filter(order__gte=order, order__lt=current), +1)
    else:
        _shift(siblings, siblings.filter(order__gt=current, order__lte=order), -1)
    siblings.filter(pk=question.pk).update(order=order)
    question.order = order


def question_delete(*, question: Question) -> None:
    """Delete a question; the later ones move up so `order` stays dense."""
    with transaction.atomic():
        quiz = _lock_quiz_for_questions(question.quiz_id)
        siblings = Question.objects.filter(quiz=quiz)
        removed = question.order
        question.delete()
        _shift(siblings, siblings.filter(order__gt=removed), -1)


# --- taking a quiz -------------------------------------------------------------------


def _grace() -> timedelta:
    return timedelta(seconds=settings.QUIZ_SUBMIT_GRACE_SECONDS)


def _past_deadline(submission: QuizSubmission, now) -> bool:
    return submission.expires_at is not None and now > submission.expires_at + _grace()


def _lock_student(student) -> None:
    """Lock the student's row: their starts and submits run one at a time."""
    get_user_model().objects.select_for_update().filter(pk=student.pk).values_list("pk").first()


def _check_can_take(quiz: Quiz, student) -> None:
    if not quiz.is_published:
        raise PermissionDenied("This quiz is not published.")
    if not is_enrolled(student, quiz.course_id):
        raise PermissionDenied("Enroll in this course to take its quizzes.")


def _open_attempt(quiz: Quiz, student) -> QuizSubmission | None:
    return (
        QuizSubmission.objects.select_for_update()
        .filter(quiz=quiz, student=student, status=Status.IN_PROGRESS)
        .first()
    )


def _refusal_to_start(quiz: Quiz, student) -> Conflict | None:
    used = attempts_used(quiz_id=quiz.pk, student=student)
    if quiz.max_attempts is not None and used >= quiz.max_attempts:
        return Conflict(f"You have used all {quiz.max_attempts} attempts at this quiz.")
    if not quiz.questions.exists():
        return Conflict("This quiz has no questions yet.")
    return None


def _create_attempt(quiz: Quiz, student, now) -> QuizSubmission:
    used = attempts_used(quiz_id=quiz.pk, student=student)
    expires_at = (
        now + timedelta(minutes=quiz.time_limit_minutes) if quiz.time_limit_minutes else None
    )
    try:
        with transaction.atomic():
            return QuizSubmission.objects.create(
                quiz=quiz, student=student, attempt=used + 1, started_at=now, expires_at=expires_at
            )
    except IntegrityError as exc:  # the lock makes this unreachable; the constraint is the net
        raise Conflict("Another attempt was started at the same time.") from exc


def quiz_attempt_start(*, quiz: Quiz, student) -> tuple[QuizSubmission, bool]:
    """Open an attempt, or hand back the one still open; `(attempt, created)`.

    An open attempt past its time limit (plus grace) is closed and graded with no
    answers first; then a new one opens if attempts are left (else 409).
    """
    with transaction.atomic():
        _lock_student(student)
        _check_can_take(quiz, student)
        now = timezone.now()
        current = _open_attempt(quiz, student)
        if current is not None:
            if not _past_deadline(current, now):
                return current, False
            grade_attempt(current, [], now=now)
        refusal = _refusal_to_start(quiz, student)
        if refusal is None:
            submission = _create_attempt(quiz, student, now)
            logger.info(
                "Student %s started attempt %s of quiz %s", student.pk, submission.attempt, quiz.pk
            )
            return submission, True
    raise refusal  # after the block: closing an expired attempt above is kept


def quiz_submission_submit(
    *, quiz: Quiz, student, answers: list[dict], submission_id: int | None = None
) -> QuizSubmission:
    """Grade an attempt: the given one, else the open one, else a new one (attempts permitting).

    Bad answers (another quiz's question, another question's choice) → 400 and nothing is
    saved. Past the deadline → 400, and the attempt is closed and graded without the late
    answers. A submitted attempt is final (409).
    """
    with transaction.atomic():
        _lock_student(student)
        _check_can_take(quiz, student)
        now = timezone.now()
        if submission_id is not None:
            submission = (
                QuizSubmission.objects.select_for_update()
                .filter(pk=submission_id, quiz=quiz, student=student)
                .first()
            )
            if submission is None:
                raise ValidationError({"submission_id": ["You have no such attempt at this quiz."]})
            if submission.status != Status.IN_PROGRESS:
                raise Conflict("This attempt has already been submitted.")
        else:
            submission = _open_attempt(quiz, student)
        late = submission is not None and _past_deadline(submission, now)
        if late:
            grade_attempt(submission, [], now=now)
        else:
            validated = validated_answers(quiz, answers)
            if submission is None:
                refusal = _refusal_to_start(quiz, student)
                if refusal is not None:
                    raise refusal
                submission = _create_attempt(quiz, student, now)
            submission.quiz = quiz
            grade_attempt(submission, validated, now=now)
            logger.info("Graded attempt %s (%s)", submission.pk, submission.status)
            return submission
    raise ValidationError(
        {
            "detail": "Time is up: this attempt closed when its time limit ran out and was "
            "graded without the late answers."
        }
    )


# --- review --------------------------------------------------------------------------


def quiz_submission_grade(*, submission: QuizSubmission, points: list[dict]) -> QuizSubmission:
    """Give points to short answers of a submitted attempt and rescore it."""
    with transaction.atomic():
        submission = (
            QuizSubmission.objects.select_for_update()
            .select_related("quiz", "student")
            .get(pk=submission.pk)
        )
        if submission.status == Status.IN_PROGRESS:
            raise Conflict("This attempt has not been submitted yet.")
        answers = {a.question_id: a for a in submission.answers.select_related("question")}
        errors: dict[int, dict] = {}
        seen: set[int] = set()
        for index, item in enumerate(points):
            answer = answers.get(item["question"])
            if answer is None:
                errors[index] = {"question": ["This question is not part of this attempt."]}
            elif answer.question.kind != Kind.SHORT_ANSWER:
                errors[index] = {"question": ["Only short answers are graded by hand."]}
            elif answer.question_id in seen:
                errors[index] = {"question": ["This question is graded twice."]}
            elif not 0 <= item["points"] <= answer.question.points:
                errors[index] = {"points": [f"Must be between 0 and {answer.question.points}."]}
            seen.add(item["question"])
        if errors:
            raise ValidationError({"answers": [errors.get(i, {}) for i in range(len(points))]})
        for item in points:
            answer = answers[item["question"]]
            answer.awarded_points = item["points"]
            answer.is_correct = item["points"] == answer.question.points
            answer.save(update_fields=["awarded_points", "is_correct"])
        apply_score(submission, [a.awarded_points for a in answers.values()])
        logger.info("Regraded attempt %s (%s)", submission.pk, submission.status)
        return submission


def quiz_attempts_close_expired() -> int:
    """Close and grade (without answers) every open attempt past its time limit and grace.

    Attempts are also closed lazily when their student starts or submits again;
    this sweep keeps lists and results honest in between. Returns how many closed.
    """
    cutoff = timezone.now() - _grace()
    closed = 0
    stale = QuizSubmission.objects.filter(status=Status.IN_PROGRESS, expires_at__lt=cutoff)
    for submission_id in stale.values_list("pk", flat=True):
        with transaction.atomic():
            submission = (
                QuizSubmission.objects.select_for_update(skip_locked=True)
                .select_related("quiz", "student")
                .filter(pk=submission_id, status=Status.IN_PROGRESS)
                .first()
            )
            if submission is not None:
                grade_attempt(submission, [], now=timezone.now())
                closed += 1
    return closed
