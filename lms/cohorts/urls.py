"""Routes for the gradebook, its export and announcements."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from .views.announcements import AnnouncementViewSet, CourseAnnouncementView
from .views.bulk import BulkEnrollView
from .views.gradebook import GradebookExportView, GradebookView

router = SimpleRouter()
router.register("announcements", AnnouncementViewSet, basename="announcement")

urlpatterns = [
    # Explicit paths: the courses router owns courses/{id}/.
    path("courses/<int:pk>/gradebook/", GradebookView.as_view(), name="course-gradebook"),
    path("courses/<int:pk>/bulk-enroll/", BulkEnrollView.as_view(), name="course-bulk-enroll"),
    path(
        "courses/<int:pk>/gradebook/export/",
        GradebookExportView.as_view(),
        name="course-gradebook-export",
    ),
    path(
        "courses/<int:pk>/announcements/",
        CourseAnnouncementView.as_view(),
        name="course-announcements",
    ),
    *router.urls,
]
