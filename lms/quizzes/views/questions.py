"""Questions of a quiz with their choices, for the quiz's authors."""

import django_filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import permissions, status, viewsets
from rest_framework.response import Response

from lms.common.filters import id_parameter, id_query_param
from lms.common.permissions import IsInstructorOrAdmin
from lms.common.schema import (
    error_response,
    errors,
)
from lms.courses.viewsets import ParentScopedMixin

from .. import selectors, services
from ..models import Question, Quiz
from ..permissions import CanEditQuiz
from ..serializers import QuestionSerializer

QUESTIONS_409 = error_response(
    "The quiz has submissions: its questions are frozen (duplicate it instead)."
)
QUIZ_PARAM = id_parameter("quiz_id", "Only this quiz's questions (403 if you may not author it).")


class QuestionFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=Question.Kind.choices)

    class Meta:
        model = Question
        fields = ["kind"]


@extend_schema_view(
    list=extend_schema(
        summary="List questions",
        description="Authors only (the course's instructor, admins); students 403.",
        parameters=[QUIZ_PARAM],
        responses={
            200: QuestionSerializer(many=True),
            **errors(400, 401, 403, 404),
        },
    ),
    retrieve=extend_schema(
        summary="A question with its choices",
        responses={200: QuestionSerializer, **errors(401, 403, 404)},
    ),
    create=extend_schema(
        summary="Add a question",
        description="Choices are written with the question, atomically. single_choice and "
        "true_false: exactly one correct choice (true_false: exactly two choices); "
        "multiple_choice: at least one; short_answer: at least one accepted answer, no "
        "choices. `order` defaults to the end; later questions move down.",
        responses={
            201: QuestionSerializer,
            **errors(400, 401, 403),
            409: QUESTIONS_409,
        },
    ),
    update=extend_schema(
        summary="Replace a question",
        description="`choices`, when given, replace the old ones as a whole.",
        responses={
            200: QuestionSerializer,
            **errors(400, 401, 403, 404),
            409: QUESTIONS_409,
        },
    ),
    partial_update=extend_schema(
        summary="Change a question",
        description="`choices`, when given, replace the old ones as a whole.",
        responses={
            200: QuestionSerializer,
            **errors(400, 401, 403, 404),
            409: QUESTIONS_409,
        },
    ),
    destroy=extend_schema(
        summary="Delete a question",
        description="Later questions move up.",
        responses={
            204: None,
            **errors(401, 403, 404),
            409: QUESTIONS_409,
        },
    ),
)
class QuestionViewSet(ParentScopedMixin, viewsets.ModelViewSet):
    """Questions of a quiz with their choices, for the quiz's authors."""

    serializer_class = QuestionSerializer
    filterset_class = QuestionFilter
    search_fields = ["text"]
    ordering_fields = ["order", "id"]
    permission_classes = [permissions.IsAuthenticated, IsInstructorOrAdmin, CanEditQuiz]

    def get_queryset(self):
        questions = selectors.questions_editable_by(self.request.user)
        if self.action != "list":
            return questions
        quiz_id = id_query_param(self.request, "quiz_id")
        if quiz_id is None:
            return questions
        self.require_readable_parent(
            quiz_id,
            findable=selectors.quizzes_findable_by(self.request.user),
            # Admins pass the mixin and students the permission classes: this is the instructor.
            readable=Quiz.objects.filter(course__instructor=self.request.user),
            denied="Only this course's instructor or an admin can see questions.",
        )
        return questions.filter(quiz_id=quiz_id)

    def _reloaded(self, question: Question) -> Question:
        return selectors.questions_editable_by(self.request.user).get(pk=question.pk)

    def create(self, request, *args, **kwargs):
        serializer = QuestionSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        quiz = data.pop("quiz")
        self.require_editable(
            quiz.course, "Only this course's instructor or an admin can add questions."
        )
        question = services.question_create(quiz=quiz, **data)
        return Response(
            QuestionSerializer(self._reloaded(question)).data, status=status.HTTP_201_CREATED
        )

    def update(self, request, *args, **kwargs):
        question = self.get_object()
        serializer = QuestionSerializer(
            question,
            data=request.data,
            context=self.get_serializer_context(),
            partial=kwargs.get("partial", False),
        )
        serializer.is_valid(raise_exception=True)
        question = services.question_update(question=question, data=serializer.validated_data)
        return Response(QuestionSerializer(self._reloaded(question)).data)

    def perform_destroy(self, instance):
        services.question_delete(question=instance)
