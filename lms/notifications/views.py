"""The caller's notification inbox: list, mark one read, mark all read."""

import django_filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from lms.common.filters import BooleanFilter
from lms.common.schema import errors

from .models import Notification
from .pagination import InboxPagination
from .selectors import notifications_of, unread_count_of
from .serializers import NotificationSerializer, NotificationsReadAllSerializer
from .services import notification_mark_read, notifications_mark_all_read


class NotificationFilter(django_filters.FilterSet):
    unread = BooleanFilter(
        method="filter_unread", help_text="`true`: only unread ones; `false`: only read ones."
    )

    class Meta:
        model = Notification
        fields = ["unread"]

    def filter_unread(self, queryset, name, value):
        return queryset.filter(read_at__isnull=value)


@extend_schema_view(
    list=extend_schema(
        summary="My notifications",
        description="Your own notifications, newest first (`?cursor=` pages). Kinds: "
        "`announcement`, `enrollment_activated`, `certificate_issued`, `submission_graded` "
        "(after a manual review), `payment_refunded`. `unread_count` counts every unread one.",
        responses={200: NotificationSerializer(many=True), **errors(400, 401)},
    ),
)
class NotificationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The signed-in user's inbox."""

    serializer_class = NotificationSerializer
    pagination_class = InboxPagination
    filter_backends = [django_filters.rest_framework.DjangoFilterBackend]
    filterset_class = NotificationFilter

    def get_queryset(self):
        return notifications_of(self.request.user)

    def list(self, request, *args, **kwargs):
        self.paginator.unread_count = unread_count_of(request.user)
        return super().list(request, *args, **kwargs)

    @extend_schema(
        summary="Mark a notification read",
        description="Your own notification only (another user's is 404). Idempotent.",
        request=None,
        responses={200: NotificationSerializer, **errors(401, 404)},
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def read(self, request, pk=None):
        notification = notification_mark_read(notification=self.get_object())
        return Response(NotificationSerializer(notification).data)

    @extend_schema(
        summary="Mark all my notifications read",
        request=None,
        responses={200: NotificationsReadAllSerializer, **errors(401)},
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="read-all",
        filter_backends=[],
        pagination_class=None,
    )
    def read_all(self, request):
        marked = notifications_mark_all_read(user=request.user)
        return Response({"marked_read": marked, "unread_count": 0})
