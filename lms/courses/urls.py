"""Routes for the catalog and course content."""

from rest_framework.routers import SimpleRouter

from . import downloads, views

router = SimpleRouter()
router.register("courses", views.CourseViewSet, basename="course")
router.register("modules", views.ModuleViewSet, basename="module")
router.register("lessons", views.LessonViewSet, basename="lesson")
router.register("content-items", views.ContentItemViewSet, basename="content-item")

urlpatterns = router.urls + downloads.urlpatterns
