"""Attempts: start, save answers, submit (graded on the server), hand review, expiry sweep.

Who may take a quiz (an enrolled student, a published quiz) is checked once per request:
by the `CanTakeQuiz` permission for start and submit, here for saving answers (that route
reaches the quiz through the attempt). Every grade goes through `grading.submission_grade`;
the course-completion check follows it explicitly here.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from lms.audit.services import audit_changes, audit_record
from lms.common import events
from lms.common.exceptions import Conflict, DomainError
from lms.enrollments.completion import enrollment_completion_check
from lms.enrollments.selectors import is_enrolled

from ..grading import save_answers, submission_grade, validated_answers
from ..limits import (
    Limits,
    attempts_past,
    due_at_for,
    expiry_of_new_attempt,
    limits_for,
    refusal_to_start,
)
from ..models import Quiz, QuizSubmission

logger = logging.getLogger(__name__)

Status = QuizSubmission.Status

NOT_STARTED = (
    "This quiz has a time limit: start an attempt first (its clock runs from the start), "
    "then submit it."
)


class TimeIsUp(DomainError):
    """The attempt's time limit (plus the grace period) ran out before this request (400)."""

    default_detail = (
        "Time is up: this attempt closed when its time limit ran out and was "
        "graded on the answers saved before then."
    )
    code = "time_is_up"


# --- grading, then completion --------------------------------------------------------


def submission_event_data(submission: QuizSubmission, *, graded_by: str) -> dict:
    """A graded attempt as domain events carry it (`graded_by`: "auto" or "instructor")."""
    return {
        "submission": {
            "id": submission.pk,
            "student": submission.student_id,
            "quiz": submission.quiz_id,
            "course": submission.quiz.course_id,
            "attempt": submission.attempt,
            "status": submission.status,
            "score": str(submission.score),
            "max_score": str(submission.max_score),
            "percent": str(submission.percent),
            "passed": submission.passed,
            "submitted_at": events.iso(submission.submitted_at),
            "graded_by": graded_by,
        }
    }


def _grade(submission: QuizSubmission, *, now=None, answers=(), review_points=()) -> QuizSubmission:
    """Grade through the one grading entry point, then let a pass complete the course."""
    submission_grade(submission, now=now, answers=answers, review_points=review_points)
    events.emit(
        events.SUBMISSION_GRADED,
        submission_event_data(submission, graded_by="instructor" if review_points else "auto"),
    )
    if submission.passed:
        enrollment_completion_check(student=submission.student, course_id=submission.quiz.course_id)
    return submission


# --- taking a quiz -------------------------------------------------------------------


def _grace() -> timedelta:
    return timedelta(seconds=settings.QUIZ_SUBMIT_GRACE_SECONDS)


def _past_deadline(submission: QuizSubmission, now) -> bool:
    """Past the attempt's time limit or the student's due time (read now: it may have moved)."""
    if submission.expires_at is not None and now > submission.expires_at + _grace():
        return True
    due_at = due_at_for(submission.quiz, submission.student)
    return due_at is not None and now > due_at + _grace()


def _lock_student(student) -> None:
    """Lock the student's row: their starts, submits and saves run one at a time."""
    get_user_model().objects.select_for_update().filter(pk=student.pk).values_list("pk").first()


def _open_attempt(quiz: Quiz, student) -> QuizSubmission | None:
    return (
        QuizSubmission.objects.select_for_update()
        .filter(quiz=quiz, student=student, status=Status.IN_PROGRESS)
        .first()
    )


def _refusal_to_start(quiz: Quiz, student, now) -> tuple[Conflict | None, Limits]:
    """Why `student` cannot start `quiz` now (409), or None; and their limits."""
    limits = limits_for(quiz, student)
    refusal = refusal_to_start(limits, now)
    if refusal is None and not quiz.questions.exists():
        refusal = Conflict("This quiz has no questions yet.", code="quiz_empty")
    return refusal, limits


def _create_attempt(quiz: Quiz, student, now, limits: Limits) -> QuizSubmission:
    try:
        with transaction.atomic():
            return QuizSubmission.objects.create(
                quiz=quiz,
                student=student,
                attempt=limits.attempts_used + 1,
                started_at=now,
                expires_at=expiry_of_new_attempt(limits, now),
            )
    except IntegrityError as exc:  # the lock makes this unreachable; the constraint is the net
        raise Conflict(
            "Another attempt was started at the same time.", code="attempt_in_progress"
        ) from exc


def quiz_attempt_start(*, quiz: Quiz, student) -> QuizSubmission:
    """Open the next attempt (attempts permitting, else 409); the caller checked CanTakeQuiz.

    An attempt still open is closed first and graded on its saved answers (as the expiry
    sweep does), so a student has at most one open attempt per quiz. The student's row is
    locked: simultaneous starts run one at a time and never pass `max_attempts`.
    """
    with transaction.atomic():
        _lock_student(student)
        now = timezone.now()
        current = _open_attempt(quiz, student)
        refusal, limits = _refusal_to_start(quiz, student, now)
        if refusal is None:
            if current is not None:
                _grade(current, now=now)
                logger.info("Closed attempt %s to start the next one", current.pk)
            submission = _create_attempt(quiz, student, now, limits)
            logger.info(
                "Student %s started attempt %s of quiz %s", student.pk, submission.attempt, quiz.pk
            )
            return submission
        if current is not None and _past_deadline(current, now):
            _grade(current, now=now)  # its time is up anyway: close it, keep the 409
    raise refusal  # after the block: closing an expired attempt above is kept


def _attempt_to_submit(quiz: Quiz, student, submission_id: int | None) -> QuizSubmission | None:
    """The attempt a submit grades: `submission_id` (open, else 409), else the open one."""
    if submission_id is None:
        return _open_attempt(quiz, student)
    submission = (
        QuizSubmission.objects.select_for_update()
        .filter(pk=submission_id, quiz=quiz, student=student)
        .first()
    )
    if submission is None:
        raise ValidationError({"submission_id": ["You have no such attempt at this quiz."]})
    if submission.status != Status.IN_PROGRESS:
        raise Conflict("This attempt has already been submitted.", code="already_submitted")
    return submission


def quiz_submission_submit(
    *, quiz: Quiz, student, answers: list[dict], submission_id: int | None = None
) -> QuizSubmission:
    """Grade an attempt: the given one, else the open one; the caller checked CanTakeQuiz.

    With no attempt open, a quiz without a time limit opens one and grades it at once
    (attempts permitting, else 409); a timed quiz refuses (409): its clock must have been
    started by `start`, before the questions were served. The attempt's saved answers are
    graded merged with `answers` (these win per question). Bad answers → 400 and nothing
    is saved. Past the deadline → 400, and the attempt is closed and graded on its saved
    answers only. A submitted attempt is final (409).
    """
    with transaction.atomic():
        _lock_student(student)
        now = timezone.now()
        submission = _attempt_to_submit(quiz, student, submission_id)
        if submission is not None:
            submission.quiz, submission.student = quiz, student
        if submission is not None and _past_deadline(submission, now):
            _grade(submission, now=now)
        else:
            validated = validated_answers(quiz, answers)
            if submission is None:
                submission = _one_shot_attempt(quiz, student, now)
            _grade(submission, now=now, answers=validated)
            logger.info("Graded attempt %s (%s)", submission.pk, submission.status)
            return submission
    raise TimeIsUp()


def _one_shot_attempt(quiz: Quiz, student, now) -> QuizSubmission:
    """A new attempt for a submit without `start`: never on a timed quiz, never past the limit."""
    if quiz.time_limit_minutes is not None:
        raise Conflict(NOT_STARTED, code="attempt_not_started")
    refusal, limits = _refusal_to_start(quiz, student, now)
    if refusal is not None:
        raise refusal
    return _create_attempt(quiz, student, now, limits)


def quiz_attempt_answers_save(
    *, submission: QuizSubmission, student, answers: list[dict]
) -> QuizSubmission:
    """Save answers on the student's open attempt, replacing earlier ones question by question.

    Validated like a submit (400, nothing saved). Someone else's attempt → 404; a submitted
    one → 409; an unpublished quiz or a closed enrollment → 403; past the deadline → 400
    and the attempt is closed and graded on what was saved before.
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
            raise Http404("No such attempt.")
        if submission.status != Status.IN_PROGRESS:
            raise Conflict("This attempt has already been submitted.", code="already_submitted")
        if not submission.quiz.is_published:
            raise PermissionDenied("This quiz is not published.")
        if not is_enrolled(student, submission.quiz.course_id):
            raise PermissionDenied("Enroll in this course to take its quizzes.")
        now = timezone.now()
        if not _past_deadline(submission, now):
            save_answers(submission, validated_answers(submission.quiz, answers))
            return submission
        _grade(submission, now=now)
    raise TimeIsUp()


# --- review --------------------------------------------------------------------------


def quiz_submission_grade(
    *, submission: QuizSubmission, points: list[dict], acting_user, ip: str | None = None
) -> QuizSubmission:
    """`acting_user` (the course's instructor or an admin) gives points to the short answers
    of a submitted attempt; it is rescored and a pass may complete the course."""
    with transaction.atomic():
        submission = (
            QuizSubmission.objects.select_for_update()
            .select_related("quiz", "student")
            .get(pk=submission.pk)
        )
        if submission.status == Status.IN_PROGRESS:
            raise Conflict("This attempt has not been submitted yet.")
        before = {"score": submission.score, "status": submission.status}
        _grade(submission, review_points=points)
        audit_record(
            actor=acting_user,
            action="submission.graded",
            target=submission,
            changes=audit_changes(before, {"score": submission.score, "status": submission.status}),
            ip=ip,
        )
        logger.info(
            "User %s regraded attempt %s (%s)", acting_user.pk, submission.pk, submission.status
        )
        return submission


def quiz_attempts_close_expired() -> int:
    """Close and grade (on their saved answers) the open attempts past their time limit or the
    student's due time, and the grace period.

    Attempts are also closed lazily when their student starts or submits again;
    this sweep keeps lists and results honest in between. Returns how many closed.
    """
    cutoff = timezone.now() - _grace()
    closed = 0
    stale = attempts_past(QuizSubmission.objects.filter(status=Status.IN_PROGRESS), cutoff)
    for submission_id in stale.values_list("pk", flat=True):
        with transaction.atomic():
            submission = (
                QuizSubmission.objects.select_for_update(skip_locked=True)
                .select_related("quiz", "student")
                .filter(pk=submission_id, status=Status.IN_PROGRESS)
                .first()
            )
            if submission is not None:
                _grade(submission, now=timezone.now())
                closed += 1
    return closed
