"""Running a cohort: gradebook, export and announcements."""

from django.apps import AppConfig


class CohortsConfig(AppConfig):
    name = "lms.cohorts"
    label = "cohorts"
