"""Course catalog and content: courses, modules, lessons, content items."""

from django.apps import AppConfig


class CoursesConfig(AppConfig):
    name = "lms.courses"
    label = "courses"

    def ready(self):
        """Keep the cached anonymous catalog in step; name courses in notification texts."""
        # Imported here, not at the top: models load only once the app registry is ready.
        from lms.notifications import listeners

        from . import cache
        from .selectors import course_title_of

        cache.connect()
        listeners.course_titles.register(self.label, course_title_of)
