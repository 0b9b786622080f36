"""Top-level routes: the versioned API, its docs, health checks and the admin."""

from django.contrib import admin
from django.urls import include, path, re_path

from lms.common import views as common_views

api_v1 = [
    path("", include("lms.users.urls")),
    path("", include("lms.courses.urls")),
    path("", include("lms.enrollments.urls")),
    path("", include("lms.payments.urls")),
    path("", include("lms.quizzes.urls")),
    path("", include("lms.notifications.urls")),
    path("", include("lms.cohorts.urls")),
    path("", include("lms.audit.urls")),
    path("", include("lms.webhooks.urls")),
    path("", include("lms.jobs.urls")),
    path("schema/", common_views.SchemaView.as_view(), name="schema"),
    path("docs/", common_views.SwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("redoc/", common_views.RedocView.as_view(url_name="schema"), name="redoc"),
]

urlpatterns = [
    path("api/v1/", include(api_v1)),
    path("healthz", common_views.healthz, name="healthz"),
    path("readyz", common_views.readyz, name="readyz"),
    path("admin/", admin.site.urls),
    re_path(r"^api/", common_views.api_not_found),
]

handler400 = "lms.common.views.bad_request"
handler403 = "lms.common.views.permission_denied"
handler404 = "lms.common.views.not_found"
handler500 = "lms.common.views.server_error"
