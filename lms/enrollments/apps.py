"""Enrollment, lesson progress and certificates."""

from django.apps import AppConfig


class EnrollmentsConfig(AppConfig):
    name = "lms.enrollments"
    label = "enrollments"

    def ready(self):
        """Tell the courses app who learns where, how many learn, what blocks a delete and
        which lessons are locked; export and erase a person's learning records."""
        # Imported here, not at the top: models load only once the app registry is ready.
        from lms.courses import access, cache, selectors, services
        from lms.users.personal_data import personal_data_register

        from . import personal_data
        from .locks import lesson_locks
        from .models import Enrollment
        from .selectors import course_delete_refusal, enrolled_count, enrolled_course_ids

        access.learner_courses.register(self.label, enrolled_course_ids)
        access.lesson_lock_rules.register(self.label, lesson_locks)
        selectors.catalog_counts.register("enrolled_count", enrolled_count)
        services.course_delete_refusals.register(self.label, course_delete_refusal)
        cache.catalog_sources.register(self.label, lambda: [Enrollment])  # enrolled_count
        personal_data_register(
            self.label,
            export=personal_data.personal_data_export,
            erase=personal_data.personal_data_erase,
        )
