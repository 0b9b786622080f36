"""Domain events that tell a user something become notifications in their inbox."""

from collections.abc import Callable
from contextvars import ContextVar

from lms.common import events
from lms.common.registry import Registry

from .models import Notification
from .services import notifications_create, notifications_create_each

#: How a course is named in a notification's text: hook(course_id) -> title or None.
#: The courses app registers it (it sits above this one).
course_titles = Registry("course titles for notification texts")


#: Titles already looked up while a batch of events is turned into notices.
_titles_seen: ContextVar[dict | None] = ContextVar("notification_course_titles", default=None)


def course_title(course_id: int | None) -> str:
    seen = _titles_seen.get()
    if seen is not None and course_id in seen:
        return seen[course_id]
    title = next(filter(None, (lookup(course_id) for lookup in course_titles)), "your course")
    if seen is not None:
        seen[course_id] = title
    return title


def _enrollment_activated(data: dict) -> dict | None:
    enrollment = data["enrollment"]
    if enrollment["status"] != "active":
        return None
    title = course_title(enrollment["course"])
    return {
        "user_id": enrollment["student"],
        "kind": Notification.Kind.ENROLLMENT_ACTIVATED,
        "title": f"You are enrolled in {title}",
        "body": f"Your enrollment in {title} is active: the course is open to you.",
        "data": {"course": enrollment["course"], "enrollment": enrollment["id"]},
    }


def _certificate_issued(data: dict) -> dict:
    certificate = data["certificate"]
    title = course_title(certificate["course"])
    return {
        "user_id": certificate["student"],
        "kind": Notification.Kind.CERTIFICATE_ISSUED,
        "title": f"Your certificate for {title}",
        "body": f"You completed {title}. Your certificate code is {certificate['code']}.",
        "data": {
            "course": certificate["course"],
            "certificate": certificate["id"],
            "code": certificate["code"],
        },
    }


def _submission_graded(data: dict) -> dict | None:
    submission = data["submission"]
    # Automatic grading answers the student at once; only a reviewer's verdict is news.
    if submission["graded_by"] != "instructor":
        return None
    title = course_title(submission["course"])
    verdict = "passed" if submission["passed"] else "not passed"
    return {
        "user_id": submission["student"],
        "kind": Notification.Kind.SUBMISSION_GRADED,
        "title": f"Your quiz in {title} was graded",
        "body": f"Attempt {submission['attempt']}: {submission['percent']}% ({verdict}).",
        "data": {
            "course": submission["course"],
            "quiz": submission["quiz"],
            "submission": submission["id"],
            "percent": submission["percent"],
            "passed": submission["passed"],
        },
    }


def _payment_refunded(data: dict) -> dict:
    payment = data["payment"]
    title = course_title(payment["course"])
    return {
        "user_id": payment["student"],
        "kind": Notification.Kind.PAYMENT_REFUNDED,
        "title": f"Your payment for {title} was refunded",
        "body": f"{payment['amount']} {payment['currency']} were refunded.",
        "data": {
            "course": payment["course"],
            "payment": payment["id"],
            "amount": payment["amount"],
            "currency": payment["currency"],
        },
    }


NOTIFYING_EVENTS: dict[str, Callable[[dict], dict | None]] = {
    events.ENROLLMENT_CREATED: _enrollment_activated,
    events.CERTIFICATE_ISSUED: _certificate_issued,
    events.SUBMISSION_GRADED: _submission_graded,
    events.PAYMENT_REFUNDED: _payment_refunded,
}


def notification_from_event(event: events.Event) -> None:
    """Put the notification an event calls for (if any) in its user's inbox."""
    build = NOTIFYING_EVENTS.get(event.type)
    notice = build(event.data) if build else None
    if notice is None:
        return
    user_id = notice.pop("user_id")
    notifications_create(user_ids=[user_id], **notice)


def notifications_from_events(batch: list[events.Event]) -> None:
    """Many events at once (a bulk enrollment's batch): one INSERT per 1,000 notices."""
    token = _titles_seen.set({})  # one title query per course, not per event
    try:
        notices = [
            notice
            for event in batch
            if (build := NOTIFYING_EVENTS.get(event.type)) and (notice := build(event.data))
        ]
    finally:
        _titles_seen.reset(token)
    notifications_create_each(notices)


notification_from_event.many = notifications_from_events
