"""Routes for enrollments, progress and certificates."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("enrollments", views.EnrollmentViewSet, basename="enrollment")
router.register("certificates", views.CertificateViewSet, basename="certificate")

urlpatterns = [
    # Explicit paths: the courses router owns lessons/{id}/ and courses/{id}/.
    path(
        "lessons/<int:pk>/complete/",
        views.LessonCompleteView.as_view(),
        name="lesson-complete",
    ),
    path(
        "courses/<int:pk>/progress/",
        views.CourseProgressView.as_view(),
        name="course-progress",
    ),
    *router.urls,
]
