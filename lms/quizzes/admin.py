"""Admin for quizzes (questions inline), questions (choices inline) and attempts.

Every write goes through the quiz services, so the admin keeps the API's rules: dense
question order, the choices a kind needs, questions frozen once a quiz has attempts (shown
read-only; adding one is refused), scores changed only by grading. The forms check the
same rules first so a refusal shows as a form error, not a crash.
"""

from django import forms
from django.contrib import admin

from lms.audit.services import acting

from . import services
from .grading import AnswersInvalid, review_points_check
from .models import Answer, Choice, Question, Quiz, QuizSubmission
from .selectors import quiz_has_submissions
from .services.authoring import QUIZ_FIELDS


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


def _record(formset, *, new=(), changed=(), deleted=()) -> None:
    """What a formset saved through the services did, for the admin's change message."""
    formset.new_objects, formset.changed_objects = list(new), list(changed)
    formset.deleted_objects = list(deleted)


NUMERIC_FIELDS = ("numeric_answer", "tolerance")


def _rule_errors(kind: str, choices: list[dict], accepted, **numeric) -> list[str]:
    errors = services.question_errors(
        kind, choices, services.accepted_answers_cleaned(accepted), **numeric
    )
    return [message for messages in errors.values() for message in messages]


class QuestionInlineFormSet(forms.BaseInlineFormSet):
    """Each row must be a valid question with the choices it already has (none when new)."""

    def clean(self):
        super().clean()
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE") or not form.has_changed():
                continue
            question = form.instance
            choices = list(question.choices.values("text", "is_correct")) if question.pk else []
            numeric = {name: data.get(name) for name in NUMERIC_FIELDS}
            errors = _rule_errors(
                data["kind"], choices, data.get("accepted_answers") or [], **numeric
            )
            if errors:
                hint = " Add a choice question from the question page, with its choices."
                raise forms.ValidationError(
                    f"{data['text'][:60]!r}: {' '.join(errors)}{hint if not question.pk else ''}"
                )


class QuestionInline(FrozenOnceAttemptedMixin, admin.TabularInline):
    model = Question
    formset = QuestionInlineFormSet
    extra = 0
    fields = ["order", "text", "kind", "points", "accepted_answers", *NUMERIC_FIELDS]
    readonly_fields = ["order"]  # moved on the question's page, where the order stays dense
    ordering = ["order"]
    show_change_link = True


class ChoiceInlineFormSet(forms.BaseInlineFormSet):
    """The choices together with the question's kind must follow the authoring rules."""

    def choices(self) -> list[dict]:
        return [
            {"text": form.cleaned_data["text"], "is_correct": form.cleaned_data["is_correct"]}
            for form in self.forms
            if getattr(form, "cleaned_data", None) and not form.cleaned_data.get("DELETE")
        ]

    def clean(self):
        super().clean()
        if any(form.errors for form in self.forms):
            return
        question = self.instance
        numeric = {name: getattr(question, name) for name in NUMERIC_FIELDS}
        errors = _rule_errors(
            question.kind, self.choices(), question.accepted_answers or [], **numeric
        )
        if errors:
            raise forms.ValidationError(errors)


class ChoiceInline(FrozenOnceAttemptedMixin, admin.TabularInline):
    model = Choice
    formset = ChoiceInlineFormSet
    extra = 0
    fields = ["text", "is_correct"]


class AnswerInlineFormSet(forms.BaseInlineFormSet):
    """Points given here follow the review rules of `PATCH quiz-submissions/{id}/grade/`."""

    def points(self) -> list[dict]:
        return [
            {"question": row.instance.question_id, "points": row.cleaned_data["awarded_points"]}
            for row in self.forms
            if "awarded_points" in row.changed_data
            and row.cleaned_data.get("awarded_points") is not None
        ]

    def clean(self):
        super().clean()
        points = self.points()
        if not points:
            return
        if self.instance.status == QuizSubmission.Status.IN_PROGRESS:
            raise forms.ValidationError("This attempt has not been submitted yet.")
        try:
            review_points_check(self.instance, points)
        except AnswersInvalid as exc:
            raise forms.ValidationError(
                [msg for item in exc.detail["answers"] for msgs in item.values() for msg in msgs]
            ) from exc


class AnswerInline(admin.TabularInline):
    model = Answer
    formset = AnswerInlineFormSet
    extra = 0
    fields = ["question", "text", "choices", "awarded_points", "is_correct"]
    readonly_fields = ["question", "text", "choices", "is_correct"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class QuizAdminForm(forms.ModelForm):
    # The API's bounds: a zero-minute limit would hide the questions and time nothing.
    time_limit_minutes = forms.IntegerField(min_value=1, max_value=24 * 60, required=False)
    max_attempts = forms.IntegerField(min_value=1, max_value=100, required=False)

    class Meta:
        model = Quiz
        fields = ["course", "lesson", *QUIZ_FIELDS]

    def clean(self):
        data = super().clean()
        course = data.get("course") or getattr(self.instance, "course", None)
        if course is not None and "lesson" in data:
            services.quiz_lesson_check(course, data["lesson"])
        return data


@admin.register(Quiz)
class QuizAdmin(admin.ModelAdmin):
    form = QuizAdminForm
    list_display = ["title", "course", "is_published", "max_attempts", "pass_percent"]
    list_filter = ["is_published"]
    search_fields = ["title", "course__title"]
    list_select_related = ["course"]
    raw_id_fields = ["course", "lesson"]
    inlines = [QuestionInline]

    def get_readonly_fields(self, request, obj=None):
        return ["course"] if obj is not None else []  # a quiz never moves to another course

    def save_model(self, request, obj, form, change):
        data = {name: form.cleaned_data[name] for name in QUIZ_FIELDS if name in form.cleaned_data}
        if change:
            services.quiz_update(quiz=obj, data=data)
        else:
            obj.pk = services.quiz_create(course=form.cleaned_data["course"], **data).pk

    def save_formset(self, request, form, formset, change):
        if formset.model is not Question:
            return super().save_formset(request, form, formset, change)
        deleted = [row.instance for row in formset.deleted_forms if row.instance.pk]
        for question in deleted:
            services.question_delete(question=question)
        new, changed = [], []
        for row in formset.forms:
            if row in formset.deleted_forms or not row.has_changed():
                continue
            names = ("text", "kind", "points", *NUMERIC_FIELDS)
            fields = {name: row.cleaned_data.get(name) for name in names}
            fields["accepted_answers"] = row.cleaned_data.get("accepted_answers") or []
            if row.instance.pk:
                services.question_update(question=row.instance, data=fields)
                changed.append((row.instance, row.changed_data))
            else:
                new.append(services.question_create(quiz=form.instance, **fields))
        _record(formset, new=new, changed=changed, deleted=deleted)

    def delete_model(self, request, obj):
        services.quiz_delete(quiz=obj)

    def delete_queryset(self, request, queryset):
        for quiz in queryset:
            services.quiz_delete(quiz=quiz)


class QuestionAdminForm(forms.ModelForm):
    order = forms.IntegerField(min_value=1, required=False, help_text="Blank: last.")

    class Meta:
        model = Question
        fields = ["quiz", "text", "kind", "points", "order", "accepted_answers", *NUMERIC_FIELDS]

    def clean_quiz(self):
        quiz = self.cleaned_data["quiz"]
        if quiz is not None and quiz_has_submissions(quiz.pk):
            raise forms.ValidationError(services.QUESTIONS_LOCKED)
        if self.instance.pk and quiz is not None and quiz.pk != self.instance.quiz_id:
            raise forms.ValidationError("A question cannot move to another quiz.")
        return quiz

    def clean(self):
        data = super().clean()
        quiz, order = data.get("quiz"), data.get("order")
        if quiz is not None and order is not None:
            size = Question.objects.filter(quiz=quiz).count() + (0 if self.instance.pk else 1)
            if order > size:
                self.add_error("order", f"Must be between 1 and {size}.")
        return data

    def _get_validation_exclusions(self):
        # The service moves the other questions so `order` stays unique; the form cannot.
        return {*super()._get_validation_exclusions(), "order"}


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

    def save_model(self, request, obj, form, change):
        """Nothing yet: the question is written with its choices in `save_related`."""

    def save_related(self, request, form, formsets, change):
        data = form.cleaned_data
        fields = {
            "text": data["text"],
            "kind": data["kind"],
            "points": data["points"],
            "order": data.get("order"),
            "accepted_answers": data.get("accepted_answers") or [],
            **{name: data.get(name) for name in NUMERIC_FIELDS},
        }
        (choices,) = formsets
        if change:
            if choices.has_changed():
                fields["choices"] = choices.choices()
            services.question_update(question=form.instance, data=fields)
        else:
            question = services.question_create(
                quiz=data["quiz"], choices=choices.choices(), **fields
            )
            form.instance.pk = question.pk  # the admin's log and redirect name the new row
        _record(choices)  # choices are replaced as a whole; the question's message says so

    def delete_model(self, request, obj):
        services.question_delete(question=obj)

    def delete_queryset(self, request, queryset):
        for question in queryset:
            services.question_delete(question=question)


@admin.register(QuizSubmission)
class QuizSubmissionAdmin(admin.ModelAdmin):
    """Attempts are read here; short answers get their points through the grading service."""

    list_display = ["quiz", "student", "attempt", "status", "percent", "passed", "submitted_at"]
    list_filter = ["status", "passed"]
    search_fields = ["quiz__title", "student__email"]
    list_select_related = ["quiz", "student"]
    raw_id_fields = ["quiz", "student"]
    fields = [
        "quiz",
        "student",
        "attempt",
        "status",
        "started_at",
        "expires_at",
        "submitted_at",
        "score",
        "max_score",
        "percent",
        "passed",
    ]
    readonly_fields = fields
    inlines = [AnswerInline]

    def has_add_permission(self, request):
        return False  # attempts are opened by students, under the attempt rules

    def save_model(self, request, obj, form, change):
        """Nothing: an attempt's own fields are read-only; points go through `save_formset`."""

    def save_formset(self, request, form, formset, change):
        points = formset.points()
        if points:
            services.quiz_submission_grade(
                submission=form.instance, points=points, **acting(request)
            )
        changed = [(row.instance, ["awarded_points"]) for row in formset.forms if row.has_changed()]
        _record(formset, changed=changed)
