"""A quiz's accommodations, for its authors: `quizzes/{quiz_pk}/accommodations/`."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import permissions, status, viewsets
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response

from lms.audit.services import acting
from lms.common.schema import error_response, errors
from lms.courses.selectors import can_edit_course

from .. import selectors, services
from ..models import Accommodation, Quiz
from ..serializers import AccommodationSerializer

QUIZ_PK = OpenApiParameter(
    "quiz_pk", OpenApiTypes.INT, OpenApiParameter.PATH, description="The quiz's id."
)
WHO = (
    "The quiz's course's instructor or an admin. Others: 403 on a quiz they can find "
    "(a published quiz of a published course), else 404; an accommodation of another "
    "quiz: 404."
)
EXISTS_409 = error_response("`code` `accommodation_exists`: the student already has one here.")


@extend_schema_view(
    list=extend_schema(
        summary="List a quiz's accommodations",
        description=WHO,
        parameters=[QUIZ_PK],
        responses={200: AccommodationSerializer(many=True), **errors(401, 403, 404)},
    ),
    retrieve=extend_schema(
        summary="An accommodation",
        description=WHO,
        parameters=[QUIZ_PK],
        responses={200: AccommodationSerializer, **errors(401, 403, 404)},
    ),
    create=extend_schema(
        summary="Give a student their own limits at a quiz",
        description=f"{WHO} `student` must be enrolled in the quiz's course (else 400); "
        "one accommodation per student and quiz (409). `extra_attempts` add to the quiz's "
        "`max_attempts` and `extra_minutes` to its time limit (from the student's next "
        "start); `due_at` replaces the quiz's due time for them (after `available_from`, "
        "else 400).",
        parameters=[QUIZ_PK],
        responses={201: AccommodationSerializer, **errors(400, 401, 403, 404), 409: EXISTS_409},
    ),
    update=extend_schema(
        summary="Replace an accommodation",
        description=f"{WHO} `student` cannot change (400).",
        parameters=[QUIZ_PK],
        responses={200: AccommodationSerializer, **errors(400, 401, 403, 404)},
    ),
    partial_update=extend_schema(
        summary="Change an accommodation",
        description=f"{WHO} `student` cannot change (400).",
        parameters=[QUIZ_PK],
        responses={200: AccommodationSerializer, **errors(400, 401, 403, 404)},
    ),
    destroy=extend_schema(
        summary="Remove an accommodation",
        description=WHO,
        parameters=[QUIZ_PK],
        responses={204: None, **errors(401, 403, 404)},
    ),
)
class AccommodationViewSet(viewsets.ModelViewSet):
    """Accommodations of one quiz: extra minutes, extra attempts, an own due time."""

    serializer_class = AccommodationSerializer
    permission_classes = [permissions.IsAuthenticated]
    filter_backends: list = []
    _quiz: Quiz | None = None

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # Who may manage them is decided once, by the quiz, before anything else.
        self._quiz = self._quiz_of_path()

    def _quiz_of_path(self) -> Quiz:
        """The quiz of the path: 404 unless the caller finds it, 403 unless they author it."""
        quiz = (
            selectors.quizzes_findable_by(self.request.user)
            .filter(pk=self.kwargs["quiz_pk"])
            .first()
        )
        if quiz is None:
            raise NotFound("No such quiz.")
        if not can_edit_course(self.request.user, quiz.course):
            raise PermissionDenied("Only this course's instructor or an admin can do this.")
        return quiz

    @property
    def quiz(self) -> Quiz:
        return self._quiz

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Accommodation.objects.none()
        return Accommodation.objects.filter(quiz=self.quiz).select_related("student").order_by("id")

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if not getattr(self, "swagger_fake_view", False):
            context["quiz"] = self.quiz
        return context

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        accommodation = services.accommodation_create(
            quiz=self.quiz, student=data.pop("student"), **acting(request), **data
        )
        return Response(self.get_serializer(accommodation).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        accommodation = self.get_object()
        serializer = self.get_serializer(
            accommodation, data=request.data, partial=kwargs.get("partial", False)
        )
        serializer.is_valid(raise_exception=True)
        accommodation = services.accommodation_update(
            accommodation=accommodation, data=serializer.validated_data, **acting(request)
        )
        return Response(self.get_serializer(accommodation).data)

    def perform_destroy(self, instance):
        services.accommodation_delete(accommodation=instance, **acting(self.request))
