"""Admin for quizzes (questions inline), questions (choices inline) and attempts.

As in the API, the questions and choices of a quiz with submissions are frozen: they show
read-only, and adding one to such a quiz is refused.
"""

from django import forms
from django.contrib import admin

from .models import Answer, Choice, Question, Quiz, QuizSubmission
from .selectors import quiz_has_submissions
from .services import QUESTIONS_LOCKED


class FrozenOnceAttemptedMixin:
    """No add/change/delete of questions or choices under a quiz students have attempted."""

    @staticmethod
    def _quiz_id(obj) -> int | None:
        if isinstance(obj, Quiz):
            return obj.pk
        if isinstance(obj, Question):
            return obj.quiz_id
        return None

    def _frozen(self, obj) -> bool:
        quiz_id = self._quiz_id(obj)
        return quiz_id is not None and quiz_has_submissions(quiz_id)

    def has_add_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_delete_permission(request, obj)


class QuestionInline(FrozenOnceAttemptedMixin, admin.TabularInline):
    model = Question
    extra = 0
    fields = ["order", "text", "kind", "points", "accepted_answers"]
    ordering = ["order"]
    show_change_link = True


class ChoiceInline(FrozenOnceAttemptedMixin, admin.TabularInline):
    model = Choice
    extra = 0
    fields = ["text", "is_correct"]


class AnswerInline(admin.TabularInline):
    model = Answer
    extra = 0
    fields = ["question", "text", "choices", "awarded_points", "is_correct"]
    readonly_fields = ["question", "text", "choices"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Quiz)
class QuizAdmin(admin.ModelAdmin):
    list_display = ["title", "course", "is_published", "max_attempts", "pass_percent"]
    list_filter = ["is_published"]
    search_fields = ["title", "course__title"]
    list_select_related = ["course"]
    raw_id_fields = ["course", "lesson"]
    inlines = [QuestionInline]


class QuestionAdminForm(forms.ModelForm):
    class Meta:
        model = Question
        fields = ["quiz", "text", "kind", "points", "order", "accepted_answers"]

    def clean_quiz(self):
        quiz = self.cleaned_data["quiz"]
        if quiz is not None and quiz_has_submissions(quiz.pk):
            raise forms.ValidationError(QUESTIONS_LOCKED)
        return quiz


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    """Questions with their choices; read-only once their quiz has submissions."""

    form = QuestionAdminForm
    list_display = ["text", "quiz", "kind", "points", "order"]
    list_filter = ["kind"]
    search_fields = ["text", "quiz__title"]
    list_select_related = ["quiz"]
    raw_id_fields = ["quiz"]
    inlines = [ChoiceInline]

    def has_change_permission(self, request, obj=None):
        frozen = obj is not None and quiz_has_submissions(obj.quiz_id)
        return not frozen and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        frozen = obj is not None and quiz_has_submissions(obj.quiz_id)
        return not frozen and super().has_delete_permission(request, obj)


@admin.register(QuizSubmission)
class QuizSubmissionAdmin(admin.ModelAdmin):
    list_display = ["quiz", "student", "attempt", "status", "percent", "passed", "submitted_at"]
    list_filter = ["status", "passed"]
    search_fields = ["quiz__title", "student__email"]
    list_select_related = ["quiz", "student"]
    raw_id_fields = ["quiz", "student"]
    readonly_fields = ["started_at", "expires_at", "submitted_at"]
    inlines = [AnswerInline]
