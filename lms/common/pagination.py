"""Page-number pagination with a client-chosen page size (capped)."""

from rest_framework import pagination
from rest_framework.exceptions import ValidationError


class PageNumberPagination(pagination.PageNumberPagination):
    """`?page=` and `?page_size=` (default 20, at most 100)."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        # A page size that is not a whole number from 1 is refused, not silently replaced.
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if size < 1:
            raise ValidationError(
                {self.page_size_query_param: ["A whole number from 1 is required."]}
            )
        return min(size, self.max_page_size)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["description"] = (
                    f"Rows per page (default {self.page_size}; more than {self.max_page_size} "
                    f"gives {self.max_page_size})."
                )
        return parameters


class NewestFirstCursorPagination(pagination.CursorPagination):
    """`?cursor=` pages, newest first, for lists that grow without bound (no `COUNT(*)`).

    The answer is `{"next", "previous", "results"}`: following `next` costs the same on
    page 1,000 as on page 1. A view may add fields beside them (e.g. `unread_count`).
    """

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
    ordering = ("-created_at", "-id")

    def get_page_size(self, request):
        return PageNumberPagination.get_page_size(self, request)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"]["minimum"] = 1
                parameter["description"] = (
                    f"Rows per page (default {self.page_size}; more than {self.max_page_size} "
                    f"gives {self.max_page_size})."
                )
        return parameters
