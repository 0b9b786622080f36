"""The demo's learning path, tried as a new user would after `make run`: li sees the lessons
of `git-step-by-step` open one by one, the collaboration module dated a week out, and
another student is told which prerequisite to complete first."""

import io

import pytest
from django.core.management import call_command

from lms.common.tests.helpers import API, login
from lms.courses.models import Course

pytestmark = pytest.mark.django_db

PASSWORD = "learn-demo-2026"


def test_the_demo_path_opens_lesson_by_lesson():
    call_command("seed_demo", stdout=io.StringIO(), stderr=io.StringIO())
    course = Course.objects.get(slug="git-step-by-step")
    li, _ = login("li@example.com", PASSWORD)

    def lessons():
        rows = li.get(f"{API}lessons/", {"course_id": course.pk}).json()["results"]
        return [(row["locked"], row["available_at"] is not None) for row in rows]

    assert lessons() == [
        (False, False),  # the preview
        (True, False),
        (True, False),
        (True, True),  # the collaboration module: a week after enrolling
        (True, True),
    ]
    rows = li.get(f"{API}lessons/", {"course_id": course.pk}).json()["results"]
    first, second = rows[0]["id"], rows[1]["id"]
    assert li.post(f"{API}lessons/{first}/complete/").status_code == 200
    assert lessons()[1] == (False, False)
    assert li.post(f"{API}lessons/{second}/complete/").status_code == 200
    assert lessons()[2] == (False, False)

    noor, _ = login("noor@example.com", PASSWORD)
    refused = noor.post(f"{API}enrollments/", {"course": course.pk})
    assert refused.status_code == 409
    assert refused.json()["code"] == "prerequisites_not_met"
    python = Course.objects.get(slug="python-fundamentals")
    assert refused.json()["missing"] == [python.pk]
