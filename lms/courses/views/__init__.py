"""Course endpoints: the catalog (catalog.py) and the content (content.py)."""

from .catalog import CourseViewSet
from .content import ContentItemViewSet, LessonViewSet, ModuleViewSet

__all__ = ["ContentItemViewSet", "CourseViewSet", "LessonViewSet", "ModuleViewSet"]
