"""Course catalog and content: courses, modules, lessons, content items."""

from django.apps import AppConfig


class CoursesConfig(AppConfig):
    name = "lms.courses"
    label = "courses"
