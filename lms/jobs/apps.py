"""Long-running work (bulk enrollment, ...): a Job row a client polls, run by Celery."""

from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "lms.jobs"
    label = "jobs"
