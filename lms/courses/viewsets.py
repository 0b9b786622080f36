"""The one mixin for endpoints scoped by a parent row: filter a list by it, write into it."""

from django.db.models import QuerySet
from rest_framework.exceptions import NotFound, PermissionDenied

from lms.common.permissions import is_admin

from .models import Course
from .selectors import can_edit_course


class ParentScopedMixin:
    """Lists narrowed to one parent (`?course_id=`, `?quiz_id=`) and writes into a parent.

    The one rule for a list filtered by a parent: a parent the caller cannot find is 404
    (only where parents are found in a catalog: content lists tell an unknown course from
    a closed one to nobody), one they find but may not read is 403 (401 when anonymous),
    and an admin reads every parent.
    """

    def require_readable_parent(
        self,
        pk: int | None,
        *,
        readable: QuerySet,
        denied: str,
        findable: QuerySet | None = None,
        not_found: str = "Not found.",
    ) -> None:
        """Refuse a list filtered by a parent (`pk` from the query) the caller may not read."""
        if pk is None:
            return
        if findable is not None and not findable.filter(pk=pk).exists():
            raise NotFound(not_found)
        if not is_admin(self.request.user) and not readable.filter(pk=pk).exists():
            self.permission_denied(self.request, message=denied)

    def require_editable(self, course: Course, denied: str) -> None:
        """Refuse (403) a write into `course` or anything in it, unless the caller may change it."""
        if not can_edit_course(self.request.user, course):
            raise PermissionDenied(denied)
