"""Admin for quizzes (questions inline), questions (choices inline) and attempts."""

from django.contrib import admin

from .models import Answer, Choice, Question, Quiz, QuizSubmission


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0
    fields = ["order", "text", "kind", "points", "accepted_answers"]
    ordering = ["order"]
    show_change_link = True


class ChoiceInline(admin.TabularInline):
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


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["text", "quiz", "kind", "points", "order"]
    list_filter = ["kind"]
    search_fields = ["text", "quiz__title"]
    list_select_related = ["quiz"]
    raw_id_fields = ["quiz"]
    inlines = [ChoiceInline]


@admin.register(QuizSubmission)
class QuizSubmissionAdmin(admin.ModelAdmin):
    list_display = ["quiz", "student", "attempt", "status", "percent", "passed", "submitted_at"]
    list_filter = ["status", "passed"]
    search_fields = ["quiz__title", "student__email"]
    list_select_related = ["quiz", "student"]
    raw_id_fields = ["quiz", "student"]
    readonly_fields = ["started_at", "expires_at", "submitted_at"]
    inlines = [AnswerInline]
