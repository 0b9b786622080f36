"""Bulk enrollment: a list of addresses (JSON or a CSV file) enrolled as a job.

Rows are read as a stream and handled in batches, each its own transaction with a fixed
number of queries: existing users are enrolled by staff (`enrollments/staff.py`, within
the capacity), unknown addresses are invited and enrolled when an account with that
address is verified (`invitations_accept`). A bad row is reported with its number and
never fails the job; running the same input again changes nothing more.
"""

import codecs
import csv
import io
import itertools
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlencode

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from lms.common.email import email_queue_template
from lms.courses.models import Course
from lms.enrollments.staff import ALREADY_ENROLLED, ENROLLED, FULL, enrollments_staff_open
from lms.jobs.models import Job
from lms.jobs.services import job_progress

from .models import Invitation

logger = logging.getLogger(__name__)
User = get_user_model()

KIND = "bulk_enroll"
BATCH_SIZE = 1000
CHUNK = 64 * 1024
COHORT_MAX = 100
COURSE_FULL = "The course is full."
BAD_EMAIL = "Not a valid email address."


@dataclass
class Row:
    number: int  # 1 = the first data row
    email: str
    first_name: str = ""
    last_name: str = ""
    cohort: str = ""


def csv_header_check(upload) -> None:
    """Refuse (400) a file that is not UTF-8 CSV with an `email` column; rewind it.

    The whole file is decoded chunk by chunk (constant memory), so a bad byte on row
    90,000 is a 400 now rather than a failed job later.
    """
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    try:
        header = decoder.decode(upload.readline())
        for chunk in iter(lambda: upload.read(CHUNK), b""):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError as exc:
        raise ValidationError({"file": ["The file must be UTF-8 text."]}) from exc
    upload.seek(0)
    columns = [c.strip().lower() for c in header.strip().split(_delimiter(header))]
    if "email" not in columns:
        raise ValidationError(
            {"file": ["The first row must name the columns, `email` among them."]}
        )


def _delimiter(header: str) -> str:
    return ";" if header.count(";") > header.count(",") else ","


def _csv_rows(name: str, default_cohort: str) -> Iterator[Row]:
    with default_storage.open(name, "rb") as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
        header = text.readline()
        reader = csv.DictReader(itertools.chain([header], text), delimiter=_delimiter(header))
        reader.fieldnames = [(name or "").strip().lower() for name in reader.fieldnames or []]
        for number, record in enumerate(reader, start=1):
            cell = {key: (value or "").strip() for key, value in record.items() if key}
            yield Row(
                number=number,
                email=cell.get("email", ""),
                first_name=cell.get("first_name", "")[:150],
                last_name=cell.get("last_name", "")[:150],
                cohort=(cell.get("cohort") or default_cohort)[:COHORT_MAX],
            )


def bulk_rows(params: dict) -> Iterator[Row]:
    """The job's input as rows, streamed (a file is never read whole)."""
    cohort = params.get("cohort", "")
    if params.get("file"):
        return _csv_rows(params["file"], cohort)
    return (
        Row(number=number, email=email.strip(), cohort=cohort)
        for number, email in enumerate(params.get("emails", []), start=1)
    )


def bulk_enroll_run(job: Job) -> dict:
    """The `bulk_enroll` job: every row, in batches; returns the counts."""
    params = job.params
    course = Course.objects.select_related("instructor").get(pk=params["course_id"])
    if job.total is None:
        job.total = sum(1 for _ in bulk_rows(params))
        job.save(update_fields=["total", "updated_at"])
    counts = {"enrolled": 0, "invited": 0, "already_enrolled": 0, "failed": 0}
    errors: list[dict] = []
    seen: dict[str, int] = {}
    processed = 0
    rows = bulk_rows(params)
    while batch := list(itertools.islice(rows, BATCH_SIZE)):
        invited = _batch(job, course, batch, seen, counts, errors)
        processed += len(batch)
        job_progress(job, processed=processed, result=dict(counts), errors=errors)
        # An address invited in this batch may have been verified meanwhile.
        for user in _verified_users(invited):
            invitations_accept(user=user)
    if params.get("file"):
        default_storage.delete(params["file"])
    return counts


def _batch(job, course, batch: list[Row], seen: dict, counts: dict, errors: list) -> list[str]:
    valid: list[Row] = []
    for row in batch:
        email = row.email.lower()
        try:
            validate_email(email)
        except ValidationError:
            errors.append({"row": row.number, "message": BAD_EMAIL})
            counts["failed"] += 1
            continue
        if email in seen:
            errors.append({"row": row.number, "message": f"Duplicate of row {seen[email]}."})
            counts["failed"] += 1
            continue
        seen[email] = row.number
        row.email = email
        valid.append(row)
    with transaction.atomic():
        users = {
            u.email.lower(): u for u in User.objects.filter(email__in=[r.email for r in valid])
        }
        known = [row for row in valid if row.email in users]
        outcomes = enrollments_staff_open(
            course_id=course.pk,
            students=[(users[row.email], row.cohort) for row in known],
            acting_user=job.created_by,
            ip=job.params.get("ip"),
            notify=job.params.get("notify", True),
        )
        for row in known:
            user = users[row.email]
            outcome = outcomes[user.pk]
            if outcome == ENROLLED:
                counts["enrolled"] += 1
            elif outcome == ALREADY_ENROLLED:
                counts["already_enrolled"] += 1
            else:
                errors.append({"row": row.number, "message": COURSE_FULL})
                counts["failed"] += 1
        _profile_cohorts_fill([(users[r.email], r.cohort) for r in known])
        unknown = [row for row in valid if row.email not in users]
        Invitation.objects.bulk_create(
            [
                Invitation(
                    course=course,
                    email=row.email,
                    cohort=row.cohort,
                    invited_by=job.created_by,
                    job=job,
                )
                for row in unknown
            ],
            ignore_conflicts=True,
        )
        counts["invited"] += len(unknown)
        for row in unknown:
            _notify_invited(job, course, row.email)
    return [row.email for row in unknown]


def _profile_cohorts_fill(pairs: list[tuple]) -> None:
    """A user without a cohort takes the one they were enrolled with."""
    by_cohort: dict[str, list[int]] = {}
    for user, cohort in pairs:
        if cohort and not user.cohort:
            by_cohort.setdefault(cohort, []).append(user.pk)
    for cohort, ids in by_cohort.items():
        User.objects.filter(pk__in=ids, cohort="").update(cohort=cohort)


def _notify_invited(job, course, email: str) -> None:
    if job.params.get("notify", True):
        inviter = job.created_by
        email_queue_template(
            to=email,
            template="cohorts/email/invitation",
            context={
                "course": course,
                "inviter_name": inviter.get_full_name() or inviter.email,
                "register_url": f"{settings.FRONTEND_URL}/register?{urlencode({'email': email})}",
            },
        )


def _verified_users(emails: list[str]):
    if not emails:
        return []
    verified = EmailAddress.objects.filter(email__in=emails, verified=True).values("user_id")
    return list(User.objects.filter(pk__in=verified))


def invitations_accept(*, user) -> int:
    """Enroll `user` in every course they were invited to, once; returns how many.

    An invitation to a course that is full now stays pending: a later verification of the
    address (or the staff, by bulk-enrolling again) enrolls the person when a seat is free.
    """
    with transaction.atomic():
        pending = list(
            Invitation.objects.select_for_update().filter(
                email=user.email.lower(), accepted_at__isnull=True
            )
        )
        accepted = [
            invitation
            for invitation in pending
            if enrollments_staff_open(
                course_id=invitation.course_id,
                students=[(user, invitation.cohort)],
                acting_user=invitation.invited_by,
            )[user.pk]
            != FULL
        ]
        _profile_cohorts_fill([(user, invitation.cohort) for invitation in accepted[:1]])
        Invitation.objects.filter(pk__in=[i.pk for i in accepted]).update(
            accepted_at=timezone.now()
        )
    if accepted:
        logger.info("User %s accepted %s invitations", user.pk, len(accepted))
    return len(accepted)
