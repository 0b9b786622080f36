"""The inbox's pages: newest first, with the caller's unread count beside the results."""

from lms.common.pagination import NewestFirstCursorPagination


class InboxPagination(NewestFirstCursorPagination):
    """`{next, previous, unread_count, results}`; the view sets `unread_count`."""

    unread_count = 0

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        response.data = {
            "next": response.data["next"],
            "previous": response.data["previous"],
            "unread_count": self.unread_count,
            "results": response.data["results"],
        }
        return response

    def get_paginated_response_schema(self, schema):
        paginated = super().get_paginated_response_schema(schema)
        paginated["properties"] = {
            "next": paginated["properties"]["next"],
            "previous": paginated["properties"]["previous"],
            "unread_count": {
                "type": "integer",
                "minimum": 0,
                "description": "The caller's unread notifications (all of them, not this page's).",
            },
            "results": paginated["properties"]["results"],
        }
        paginated["required"] = ["next", "previous", "unread_count", "results"]
        return paginated
