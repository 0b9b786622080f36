"""A student's effective limits at a quiz: its settings with their accommodation applied."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from lms.common.exceptions import Conflict

from .models import Accommodation, Quiz, QuizSubmission


@dataclass(frozen=True)
class Limits:
    """What one student may do at one quiz (None: no limit)."""

    max_attempts: int | None
    attempts_used: int
    time_limit_minutes: int | None
    available_from: datetime | None
    due_at: datetime | None

    def as_dict(self) -> dict:
        return {
            "max_attempts": self.max_attempts,
            "attempts_used": self.attempts_used,
            "time_limit_minutes": self.time_limit_minutes,
            "due_at": self.due_at,
        }


def limits_for(quiz: Quiz, student) -> Limits:
    """`student`'s limits at `quiz`: extra attempts and minutes added, their own due time."""
    accommodation = Accommodation.objects.filter(quiz=quiz, student=student).first()
    used = QuizSubmission.objects.filter(quiz=quiz, student=student).count()
    max_attempts, minutes, due_at = quiz.max_attempts, quiz.time_limit_minutes, quiz.due_at
    if accommodation is not None:
        if max_attempts is not None:
            max_attempts += accommodation.extra_attempts
        if minutes is not None:
            minutes += accommodation.extra_minutes
        due_at = accommodation.due_at or due_at
    return Limits(
        max_attempts=max_attempts,
        attempts_used=used,
        time_limit_minutes=minutes,
        available_from=quiz.available_from,
        due_at=due_at,
    )


def due_at_for(quiz: Quiz, student):
    """`student`'s due time at `quiz`: their accommodation's, else the quiz's (one query)."""
    own = (
        Accommodation.objects.filter(quiz=quiz, student=student, due_at__isnull=False)
        .values_list("due_at", flat=True)
        .first()
    )
    return own or quiz.due_at


QUIZ_NOT_OPEN = "quiz_not_open"
QUIZ_CLOSED = "quiz_closed"


def refusal_to_start(limits: Limits, now: datetime) -> Conflict | None:
    """Why a new attempt cannot start now (409 with a stable code), or None."""
    if limits.available_from is not None and now < limits.available_from:
        return Conflict("This quiz is not open yet.", code=QUIZ_NOT_OPEN)
    if limits.due_at is not None and now > limits.due_at:
        return Conflict(
            {"detail": "This quiz is closed: its due time has passed.", "code": QUIZ_CLOSED}
        )
    if limits.max_attempts is not None and limits.attempts_used >= limits.max_attempts:
        return Conflict(
            f"You have used all {limits.max_attempts} attempts at this quiz.",
            code="attempts_exhausted",
        )
    return None


def expiry_of_new_attempt(limits: Limits, now: datetime) -> datetime | None:
    """When an attempt started now ends: its time limit or the due time, the earlier one."""
    ends = [limits.due_at] if limits.due_at is not None else []
    if limits.time_limit_minutes:
        ends.append(now + timedelta(minutes=limits.time_limit_minutes))
    return min(ends) if ends else None


def effective_due() -> Coalesce:
    """An expression for a submission's due time: the student's accommodation's, else the quiz's."""
    own = Accommodation.objects.filter(
        quiz=OuterRef("quiz"), student=OuterRef("student"), due_at__isnull=False
    ).values("due_at")[:1]
    return Coalesce(Subquery(own), F("quiz__due_at"))


def attempts_past(submissions: QuerySet[QuizSubmission], cutoff: datetime) -> QuerySet:
    """The attempts among `submissions` whose time limit or due time ended before `cutoff`."""
    return submissions.annotate(due=effective_due()).filter(
        Q(expires_at__lt=cutoff) | Q(due__lt=cutoff)
    )
