"""Students' attempts: listing and reading them, saving answers, grading short answers."""

import django_filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import permissions, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from lms.audit.services import client_ip
from lms.common.filters import IdFilter
from lms.common.permissions import IsInstructorOrAdmin, IsStudent
from lms.common.schema import (
    error_response,
    errors,
)

from .. import selectors, services
from ..models import QuizSubmission
from ..permissions import CanEditQuiz
from ..serializers import (
    QuizAnswersSaveSerializer,
    QuizSavedAnswersSerializer,
    QuizSubmissionDetailSerializer,
    QuizSubmissionGradeSerializer,
    QuizSubmissionSerializer,
)


class QuizSubmissionFilter(django_filters.FilterSet):
    quiz_id = IdFilter(field_name="quiz_id", help_text="Quiz id.")
    course_id = IdFilter(field_name="quiz__course_id", help_text="Course id.")
    student_id = IdFilter(field_name="student_id", help_text="Student id.")
    status = django_filters.ChoiceFilter(choices=QuizSubmission.Status.choices)

    class Meta:
        model = QuizSubmission
        fields = ["quiz_id", "course_id", "student_id", "status"]


@extend_schema_view(
    list=extend_schema(
        summary="List quiz attempts",
        description="A student sees their own; an instructor their courses'; an admin all.",
        responses={200: QuizSubmissionSerializer(many=True), **errors(400, 401)},
    ),
    retrieve=extend_schema(
        summary="An attempt with its answers",
        description="Correctness and points appear once the attempt is submitted; never "
        "the right answers. Another student's attempt: 404.",
        responses={200: QuizSubmissionDetailSerializer, **errors(401, 404)},
    ),
)
class QuizSubmissionViewSet(viewsets.ReadOnlyModelViewSet):
    """Students' attempts at quizzes, and hand grading of short answers."""

    serializer_class = QuizSubmissionSerializer
    filterset_class = QuizSubmissionFilter
    search_fields: list[str] = []
    ordering_fields = ["started_at", "submitted_at", "percent", "attempt"]

    def get_queryset(self):
        submissions = selectors.submissions_visible_to(self.request.user)
        if self.action == "list":
            return submissions
        return selectors.with_answers(submissions)

    def get_serializer_class(self):
        if self.action == "retrieve":
            return QuizSubmissionDetailSerializer
        return QuizSubmissionSerializer

    def get_permissions(self):
        if self.action == "grade":
            return [permissions.IsAuthenticated(), IsInstructorOrAdmin(), CanEditQuiz()]
        if self.action == "answers":
            return [permissions.IsAuthenticated(), IsStudent()]
        return super().get_permissions()

    @extend_schema(
        methods=["GET"],
        summary="The answers saved on my attempt",
        description="The attempt's student: every answer saved so far (what was chosen or "
        "written, never whether it is right), so a reloaded page can restore the form. "
        "Someone else's attempt: 404; instructors and admins: 403.",
        responses={
            200: QuizSavedAnswersSerializer,
            **errors(401, 403, 404),
        },
    )
    @extend_schema(
        methods=["PUT"],
        summary="Save answers on an open attempt",
        description="The attempt's student, while it is open and within its time: stores "
        "answers without grading them (same shape and checks as `submit`: a question of "
        "another quiz or a choice of another question → 400 and nothing is saved). Each "
        "answer replaces the saved one to its question; the others stay. Returns every saved "
        "answer, never whether it is right. `submit` grades the saved answers (merged with "
        "its own). After `expires_at` plus the grace period: 400 and the attempt is closed, "
        "graded on what was saved. Someone else's attempt: 404; a submitted one: 409; "
        "instructors and admins: 403.",
        request=QuizAnswersSaveSerializer,
        responses={
            200: QuizSavedAnswersSerializer,
            **errors(400, 401, 403, 404),
            409: error_response("Already submitted."),
        },
    )
    @action(detail=True, methods=["get", "put"])
    def answers(self, request, pk=None):
        submission = self.get_object()
        if request.method == "GET":
            return Response(QuizSavedAnswersSerializer(submission).data)
        serializer = QuizAnswersSaveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.quiz_attempt_answers_save(
            submission=submission,
            student=request.user,
            answers=serializer.validated_data["answers"],
        )
        submission = self.get_queryset().get(pk=submission.pk)
        return Response(QuizSavedAnswersSerializer(submission).data)

    @extend_schema(
        summary="Grade short answers",
        description="The course's instructor or an admin gives `points` (0..the question's "
        "points) to short answers of a submitted attempt; the attempt is rescored, `passed` "
        "and `status` follow, and a pass may complete the course. Students 403; "
        "an attempt still open: 409.",
        request=QuizSubmissionGradeSerializer,
        responses={
            200: QuizSubmissionDetailSerializer,
            **errors(400, 401, 403, 404),
            409: error_response("Not submitted yet."),
        },
    )
    @action(detail=True, methods=["patch"])
    def grade(self, request, pk=None):
        submission = self.get_object()
        serializer = QuizSubmissionGradeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.quiz_submission_grade(
            submission=submission,
            points=serializer.validated_data["answers"],
            acting_user=request.user,
            ip=client_ip(request),
        )
        submission = self.get_queryset().get(pk=submission.pk)
        return Response(QuizSubmissionDetailSerializer(submission).data)
