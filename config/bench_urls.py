"""The API's routes plus the benchmark's reference views (served only by config.bench_settings)."""

from django.urls import path
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from .urls import urlpatterns as api_urlpatterns

REFERENCE_BODY = {"id": 1, "title": "Reference", "items": [1, 2, 3], "ok": True}


class ReferenceView(APIView):
    """Constant JSON through the default DRF stack (auth, permissions, renderer)."""

    permission_classes = [AllowAny]

    def get(self, request):
        return Response(REFERENCE_BODY)


class AuthenticatedReferenceView(ReferenceView):
    """The same constant JSON, behind JWT authentication."""

    permission_classes = [IsAuthenticated]


urlpatterns = [
    path("bench/reference/", ReferenceView.as_view(), name="bench-reference"),
    path(
        "bench/reference-auth/", AuthenticatedReferenceView.as_view(), name="bench-reference-auth"
    ),
    *api_urlpatterns,
]

handler400 = "lms.common.views.bad_request"
handler403 = "lms.common.views.permission_denied"
handler404 = "lms.common.views.not_found"
handler500 = "lms.common.views.server_error"
