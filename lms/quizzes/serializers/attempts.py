"""Attempts: starting, answering, submitting, and reading and reviewing them."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from lms.users.serializers import UserSummaryWithEmailSerializer

from ..models import Answer, Question, QuizSubmission
from .quizzes import number_field, points_field

# --- taking a quiz -------------------------------------------------------------------


class QuizStartSerializer(serializers.ModelSerializer):
    submission_id = serializers.IntegerField(source="pk", read_only=True)

    class Meta:
        model = QuizSubmission
        fields = ["submission_id", "attempt", "started_at", "expires_at"]
        read_only_fields = fields


class SubmitAnswerSerializer(serializers.Serializer):
    """One answer, by the question's kind: `choices` (single_choice, multiple_choice,
    true_false), `text` (short_answer), `number` (numeric) or `order` (ordering); another
    of these fields given → 400. Left out or empty: not answered (scores 0)."""

    question = serializers.IntegerField()
    choices = serializers.ListField(
        child=serializers.IntegerField(), required=False, max_length=50, allow_empty=True
    )
    text = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    number = number_field(
        required=False,
        allow_null=True,
        help_text="numeric: right when within the question's tolerance of its answer.",
    )
    order = serializers.ListField(
        child=serializers.IntegerField(),
        required=False,
        max_length=50,
        allow_empty=True,
        help_text="ordering: every choice id of the question exactly once (else 400), in "
        "your order; full points only for the exact order.",
    )


class QuizSubmitSerializer(serializers.Serializer):
    submission_id = serializers.IntegerField(
        required=False,
        allow_null=True,
        help_text="The attempt from `start`; default: the open one.",
    )
    answers = SubmitAnswerSerializer(many=True, max_length=500)


class QuizAnswersSaveSerializer(serializers.Serializer):
    answers = SubmitAnswerSerializer(
        many=True,
        max_length=500,
        help_text="Each replaces the saved answer to its question; other saved answers stay.",
    )


class SavedAnswerSerializer(serializers.ModelSerializer):
    """An answer saved on an open attempt: what was chosen or written, nothing more."""

    choices = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    number = number_field(allow_null=True, read_only=True)
    order = serializers.ListField(child=serializers.IntegerField(), source="choice_order")

    class Meta:
        model = Answer
        fields = ["question", "choices", "text", "number", "order"]
        read_only_fields = fields


class QuizSavedAnswersSerializer(serializers.ModelSerializer):
    """An open attempt with every answer saved on it so far."""

    submission_id = serializers.IntegerField(source="pk", read_only=True)
    answers = SavedAnswerSerializer(many=True, read_only=True)

    class Meta:
        model = QuizSubmission
        fields = ["submission_id", "quiz", "attempt", "started_at", "expires_at", "answers"]
        read_only_fields = fields


class QuestionResultSerializer(serializers.ModelSerializer):
    question = serializers.IntegerField(source="question_id")
    correct = serializers.BooleanField(source="is_correct", allow_null=True)
    awarded_points = points_field(allow_null=True)

    class Meta:
        model = Answer
        fields = ["question", "correct", "awarded_points"]
        read_only_fields = fields


class QuizSubmitResultSerializer(serializers.ModelSerializer):
    """The graded attempt, with per-question correctness (`null` while in review)."""

    score = points_field()
    max_score = points_field()
    percent = points_field()
    results = QuestionResultSerializer(source="answers", many=True, read_only=True)

    class Meta:
        model = QuizSubmission
        fields = [
            "id",
            "quiz",
            "attempt",
            "score",
            "max_score",
            "percent",
            "passed",
            "status",
            "submitted_at",
            "results",
        ]
        read_only_fields = fields


# --- review --------------------------------------------------------------------------


class SubmissionStudentSerializer(UserSummaryWithEmailSerializer):
    # Keeps the schema component `SubmissionStudent` as it was: every field read-only.
    class Meta(UserSummaryWithEmailSerializer.Meta):
        read_only_fields = UserSummaryWithEmailSerializer.Meta.fields


class QuizSubmissionSerializer(serializers.ModelSerializer):
    """An attempt and its score."""

    course = serializers.IntegerField(source="quiz.course_id", read_only=True)
    student = SubmissionStudentSerializer(read_only=True)
    score = points_field()
    max_score = points_field()
    percent = points_field()

    class Meta:
        model = QuizSubmission
        fields = [
            "id",
            "quiz",
            "course",
            "student",
            "attempt",
            "started_at",
            "expires_at",
            "submitted_at",
            "score",
            "max_score",
            "percent",
            "passed",
            "status",
        ]
        read_only_fields = fields


class SubmissionAnswerSerializer(serializers.ModelSerializer):
    """What was answered to a question and the points it earned (never the right answer)."""

    question_text = serializers.CharField(source="question.text", read_only=True)
    kind = serializers.ChoiceField(
        choices=Question.Kind.choices, source="question.kind", read_only=True
    )
    max_points = serializers.IntegerField(source="question.points", read_only=True)
    choices = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    number = number_field(allow_null=True, read_only=True)
    order = serializers.ListField(
        child=serializers.IntegerField(), source="choice_order", read_only=True
    )
    correct = serializers.BooleanField(source="is_correct", allow_null=True, read_only=True)
    awarded_points = points_field(allow_null=True, read_only=True)

    class Meta:
        model = Answer
        fields = [
            "question",
            "question_text",
            "kind",
            "max_points",
            "choices",
            "text",
            "number",
            "order",
            "awarded_points",
            "correct",
        ]
        read_only_fields = fields


class QuizSubmissionDetailSerializer(QuizSubmissionSerializer):
    """An attempt with its answers; correctness appears once the attempt is submitted."""

    answers = serializers.SerializerMethodField()

    class Meta(QuizSubmissionSerializer.Meta):
        fields = [*QuizSubmissionSerializer.Meta.fields, "answers"]
        read_only_fields = fields

    @extend_schema_field(SubmissionAnswerSerializer(many=True))
    def get_answers(self, submission: QuizSubmission) -> list[dict]:
        if submission.status == QuizSubmission.Status.IN_PROGRESS:
            return []
        return SubmissionAnswerSerializer(submission.answers.all(), many=True).data


class GradeAnswerSerializer(serializers.Serializer):
    question = serializers.IntegerField()
    points = serializers.DecimalField(max_digits=8, decimal_places=2)


class QuizSubmissionGradeSerializer(serializers.Serializer):
    answers = GradeAnswerSerializer(many=True, min_length=1, max_length=500)
