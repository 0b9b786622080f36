"""Course catalog and content: courses, modules, lessons, content items."""

from django.apps import AppConfig


class CoursesConfig(AppConfig):
    name = "lms.courses"
    label = "courses"

    def ready(self):
        """Keep the cached anonymous catalog in step with every change it shows."""
        # Imported here, not at the top: models load only once the app registry is ready.
        from . import cache

        cache.connect()
