"""Fixtures shared by the end-to-end journeys."""

import pytest


@pytest.fixture
def deliver(django_capture_on_commit_callbacks):
    """Run a request and execute what it queued for after the commit (emails, tasks)."""

    def run(call):
        with django_capture_on_commit_callbacks(execute=True):
            return call()

    return run
