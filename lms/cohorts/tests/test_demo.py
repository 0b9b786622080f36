"""The demo cohort: ada's gradebook of 30 students in two cohorts, maria's unread notices."""

import io

import pytest
from django.core.management import call_command

from lms.cohorts.demo import COURSE_SLUG
from lms.cohorts.models import Announcement
from lms.common.tests.helpers import API, login
from lms.courses.models import Course
from lms.notifications.models import Notification

pytestmark = pytest.mark.django_db

PASSWORD = "learn-demo-2026"


def seed():
    call_command("seed_demo", stdout=io.StringIO(), stderr=io.StringIO())


def test_the_demo_cohort_as_ada_and_maria_see_it():
    seed()
    counts = (Announcement.objects.count(), Notification.objects.count())
    seed()
    assert (Announcement.objects.count(), Notification.objects.count()) == counts

    course = Course.objects.get(slug=COURSE_SLUG)
    ada, _ = login("ada@example.com", PASSWORD)
    page = ada.get(f"{API}courses/{course.pk}/gradebook/", {"page_size": 100}).json()
    assert page["count"] == 30
    rows = page["results"]
    assert {r["enrollment"]["cohort"] for r in rows} == {"2026-spring-a", "2026-spring-b"}
    grades = {r["grade"] for r in rows}
    assert len(grades) > 10  # spread, not all alike
    export = ada.get(f"{API}courses/{course.pk}/gradebook/export/")
    assert export.status_code == 200
    assert len(b"".join(export.streaming_content).splitlines()) == 31

    maria, _ = login("maria@example.com", PASSWORD)
    inbox = maria.get(f"{API}notifications/", {"unread": "true"}).json()
    kinds = {n["kind"] for n in inbox["results"]}
    assert {"announcement", "enrollment_activated"} <= kinds
    assert inbox["unread_count"] >= 2
    announcements = maria.get(f"{API}announcements/", {"course_id": course.pk}).json()
    assert announcements["results"][0]["title"] == "Welcome to the spring cohort"
