"""Attempts: start, save answers, submit (graded on the server), hand review, expiry sweep."""

import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError

from lms.common.exceptions import Conflict
from lms.enrollments.selectors import is_enrolled

from ..grading import apply_score, grade_attempt, save_answers, validated_answers
from ..models import Question, Quiz, QuizSubmission
from ..selectors import attempts_used

logger = logging.getLogger(__name__)

Kind = Question.Kind
Status = QuizSubmission.Status


# --- taking a quiz -------------------------------------------------------------------


def _grace() -> timedelta:
    return timedelta(seconds=settings.QUIZ_SUBMIT_GRACE_SECONDS)


def _past_deadline(submission: QuizSubmission, now) -> bool:
    return submission.expires_at is not None and now > submission.expires_at + _grace()


def _time_is_up() -> ValidationError:
    return ValidationError(
        {
            "detail": "Time is up: this attempt closed when its time limit ran out and was "
            "graded on the answers saved before then."
        }
    )


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


def quiz_attempt_start(*, quiz: Quiz, student) -> QuizSubmission:
    """Open the next attempt (attempts permitting, else 409).

    An attempt still open is closed first and graded on its saved answers (as the expiry
    sweep does), so a student has at most one open attempt per quiz. The student's row is
    locked: simultaneous starts run one at a time and never pass `max_attempts`.
    """
    with transaction.atomic():
        _lock_student(student)
        _check_can_take(quiz, student)
        now = timezone.now()
        current = _open_attempt(quiz, student)
        refusal = _refusal_to_start(quiz, student)
        if refusal is None:
            if current is not None:
                grade_attempt(current, [], now=now)
                logger.info("Closed attempt %s to start the next one", current.pk)
            submission = _create_attempt(quiz, student, now)
            logger.info(
                "Student %s started attempt %s of quiz %s", student.pk, submission.attempt, quiz.pk
            )
            return submission
        if current is not None and _past_deadline(current, now):
            grade_attempt(current, [], now=now)  # its time is up anyway: close it, keep the 409
    raise refusal  # after the block: closing an expired attempt above is kept


def quiz_submission_submit(
    *, quiz: Quiz, student, answers: list[dict], submission_id: int | None = None
) -> QuizSubmission:
    """Grade an attempt: the given one, else the open one, else a new one (attempts permitting).

    The attempt's saved answers are graded merged with `answers` (these win per question).
    Bad answers (another quiz's question, another question's choice) → 400 and nothing is
    saved. Past the deadline → 400, and the attempt is closed and graded on its saved
    answers only. A submitted attempt is final (409).
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
    raise _time_is_up()


def quiz_attempt_answers_save(
    *, submission: QuizSubmission, student, answers: list[dict]
) -> QuizSubmission:
    """Save answers on the student's open attempt, replacing earlier ones question by question.

    Validated like a submit (400, nothing saved). Someone else's attempt → 404; a submitted
    one → 409; past the deadline → 400 and the attempt is closed and graded on what was
    saved before.
    """
    with transaction.atomic():
        _lock_student(student)
        submission = (
            QuizSubmission.objects.select_for_update()
            .select_related("quiz", "student")
            .filter(pk=submission.pk, student=student)
            .first()
        )
        if submission is None:
            raise NotFound("No such attempt.")
        if submission.status != Status.IN_PROGRESS:
            raise Conflict("This attempt has already been submitted.")
        _check_can_take(submission.quiz, student)
        now = timezone.now()
        if not _past_deadline(submission, now):
            save_answers(submission, validated_answers(submission.quiz, answers))
            return submission
        grade_attempt(submission, [], now=now)
    raise _time_is_up()


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
    """Close and grade (on their saved answers) the open attempts past their time limit and grace.

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
