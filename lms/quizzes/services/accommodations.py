"""Accommodations: a student's extra time, extra attempts and own due time at a quiz."""

import logging

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from lms.audit.services import audit_changes, audit_record
from lms.common.exceptions import Conflict

from ..models import Accommodation, Quiz

logger = logging.getLogger(__name__)

FIELDS = ("extra_minutes", "extra_attempts", "due_at")
EXISTS = "This student already has an accommodation at this quiz: change that one."


def _due_check(quiz: Quiz, due_at) -> None:
    if due_at is not None and quiz.available_from is not None and due_at <= quiz.available_from:
        raise ValidationError({"due_at": ["Must be after the quiz's `available_from`."]})


def _values(accommodation: Accommodation) -> dict:
    """The audited fields as JSON-ready values."""
    due = accommodation.due_at
    return {
        "student": accommodation.student_id,
        "quiz": accommodation.quiz_id,
        "extra_minutes": accommodation.extra_minutes,
        "extra_attempts": accommodation.extra_attempts,
        "due_at": due.isoformat() if due else None,
    }


def accommodation_create(
    *, quiz: Quiz, student, acting_user, ip: str | None = None, **data
) -> Accommodation:
    """Give `student` (enrolled: the caller checked) their own limits at `quiz`; once (409)."""
    _due_check(quiz, data.get("due_at"))
    with transaction.atomic():
        if Accommodation.objects.filter(quiz=quiz, student=student).exists():
            raise Conflict(EXISTS, code="accommodation_exists")
        try:
            with transaction.atomic():
                accommodation = Accommodation.objects.create(
                    quiz=quiz, student=student, **{k: v for k, v in data.items() if k in FIELDS}
                )
        except IntegrityError as exc:  # the same student given twice at the same moment
            raise Conflict(EXISTS, code="accommodation_exists") from exc
        audit_record(
            actor=acting_user,
            action="accommodation.created",
            target=accommodation,
            changes={name: [None, value] for name, value in _values(accommodation).items()},
            ip=ip,
        )
    logger.info(
        "User %s gave student %s an accommodation at quiz %s", acting_user.pk, student.pk, quiz.pk
    )
    return accommodation


def accommodation_update(
    *, accommodation: Accommodation, data: dict, acting_user, ip: str | None = None
) -> Accommodation:
    """Change an accommodation; it takes effect at the student's next start or submit."""
    with transaction.atomic():
        accommodation = (
            Accommodation.objects.select_for_update()
            .select_related("quiz")
            .get(pk=accommodation.pk)
        )
        student = data.get("student")
        if student is not None and student.pk != accommodation.student_id:
            raise ValidationError({"student": ["An accommodation cannot move to another student."]})
        before = _values(accommodation)
        changed = [name for name in FIELDS if name in data]
        for name in changed:
            setattr(accommodation, name, data[name])
        _due_check(accommodation.quiz, accommodation.due_at)
        accommodation.save(update_fields=[*changed, "updated_at"])
        audit_record(
            actor=acting_user,
            action="accommodation.changed",
            target=accommodation,
            changes=audit_changes(before, _values(accommodation)),
            ip=ip,
        )
    logger.info("User %s changed accommodation %s", acting_user.pk, accommodation.pk)
    return accommodation


def accommodation_delete(
    *, accommodation: Accommodation, acting_user, ip: str | None = None
) -> None:
    """Remove an accommodation: the quiz's own limits apply to the student again."""
    with transaction.atomic():
        pk, before = accommodation.pk, _values(accommodation)
        accommodation.delete()
        audit_record(
            actor=acting_user,
            action="accommodation.deleted",
            target=accommodation,
            target_id=pk,
            changes={name: [value, None] for name, value in before.items()},
            ip=ip,
        )
    logger.info("User %s removed accommodation %s", acting_user.pk, accommodation.pk)
