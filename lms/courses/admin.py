"""Admin screens for courses and their content; every write goes through the course services.

`order` is read-only: a row is added last, moved with "Move to position" and deleted with
its later siblings moving up, exactly as the API's create, `move/` and delete do.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.db.models import Count
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponseRedirect

from lms.audit.services import acting
from lms.common.exceptions import DomainError

from . import services
from .models import ContentItem, Course, Lesson, Module


def _adopt(obj: models.Model, saved: models.Model) -> None:
    """Give the admin's own `obj` the row a service wrote (the admin goes on using `obj`)."""
    for field in obj._meta.concrete_fields:
        setattr(obj, field.attname, getattr(saved, field.attname))
    obj._state.adding, obj._state.db = False, saved._state.db


def _upload(form: forms.ModelForm, name: str) -> UploadedFile | None:
    value = form.cleaned_data.get(name)
    return value if isinstance(value, UploadedFile) else None


# --- Forms: one per kind of row, each saving through its services --------------------


class OrderedRowForm(forms.ModelForm):
    """A module, lesson or content item; saved by the services, moved only by `move_to`."""

    parent_field = ""
    move_to = forms.IntegerField(
        min_value=1,
        required=False,
        label="Move to position",
        help_text="The rows in between move up or down by one.",
    )

    def clean_move_to(self):
        position = self.cleaned_data.get("move_to")
        if position is None:
            return None
        if self.instance.pk is None:
            raise ValidationError("A new row is added last; move it once it is saved.")
        parent_id = getattr(self.instance, f"{self.parent_field}_id")
        size = type(self.instance).objects.filter(**{f"{self.parent_field}_id": parent_id}).count()
        if position > size:
            raise ValidationError(f"Must be between 1 and {size}.")
        return position

    def changes(self) -> dict:
        """The changed fields of the row, as the update services take them."""
        names = {field.name for field in self.instance._meta.fields} - {self.parent_field}
        return {name: self.cleaned_data[name] for name in self.changed_data if name in names}

    def save_through_services(self) -> models.Model:
        """Create (last) or update the row, then move it when asked."""
        row = self.create() if self.instance.pk is None else self.update(self.changes())
        position = self.cleaned_data.get("move_to")
        return self.move(row, position) if position else row

    def create(self) -> models.Model:
        raise NotImplementedError

    def update(self, data: dict) -> models.Model:
        raise NotImplementedError

    def move(self, row, order: int) -> models.Model:
        raise NotImplementedError

    @staticmethod
    def delete_row(row) -> None:
        raise NotImplementedError


class ModuleForm(OrderedRowForm):
    parent_field = "course"

    def create(self) -> Module:
        module = self.instance
        return services.module_create(
            course=module.course,
            title=module.title,
            description=module.description,
            release_days=module.release_days,
        )

    def update(self, data: dict) -> Module:
        return services.module_update(module=self.instance, data=data)

    def move(self, row: Module, order: int) -> Module:
        return services.module_move(module=row, order=order)

    @staticmethod
    def delete_row(row: Module) -> None:
        services.module_delete(module=row)


class LessonForm(OrderedRowForm):
    parent_field = "module"

    def create(self) -> Lesson:
        lesson = self.instance
        return services.lesson_create(
            module=lesson.module,
            title=lesson.title,
            content=lesson.content,
            duration_minutes=lesson.duration_minutes,
            is_preview=lesson.is_preview,
        )

    def update(self, data: dict) -> Lesson:
        return services.lesson_update(lesson=self.instance, data=data)

    def move(self, row: Lesson, order: int) -> Lesson:
        return services.lesson_move(lesson=row, order=order)

    @staticmethod
    def delete_row(row: Lesson) -> None:
        services.lesson_delete(lesson=row)


class ContentItemForm(OrderedRowForm):
    parent_field = "lesson"

    class Meta:
        # No "clear" box: a file item needs its file; another kind drops it on save.
        widgets = {"file": forms.FileInput}

    def create(self) -> ContentItem:
        item = self.instance
        return services.content_item_create(
            lesson=item.lesson,
            kind=item.kind,
            title=item.title,
            url=item.url,
            text=item.text,
            file=_upload(self, "file"),
        )

    def update(self, data: dict) -> ContentItem:
        return services.content_item_update(item=self.instance, data=data)

    def move(self, row: ContentItem, order: int) -> ContentItem:
        return services.content_item_move(item=row, order=order)

    @staticmethod
    def delete_row(row: ContentItem) -> None:
        services.content_item_delete(item=row)


# --- Inlines and pages ----------------------------------------------------------------


class ServiceInlineFormSet(BaseInlineFormSet):
    """Inline rows added, changed and deleted through their form's services."""

    def save_new(self, form, commit=True):
        setattr(form.instance, self.fk.name, self.instance)
        return form.save_through_services()

    def save_existing(self, form, obj, commit=True):
        return form.save_through_services()

    def delete_existing(self, obj, commit=True):
        if commit:
            self.form.delete_row(obj)


class OrderedInline:
    """An inline of ordered rows: `order` shown, never typed in."""

    formset = ServiceInlineFormSet
    readonly_fields = ["order"]
    extra = 0
    ordering = ["order"]


class ModuleInline(OrderedInline, admin.TabularInline):
    model = Module
    form = ModuleForm
    fields = ["order", "title", "description", "release_days", "move_to"]
    show_change_link = True


class LessonInline(OrderedInline, admin.TabularInline):
    model = Lesson
    form = LessonForm
    fields = ["order", "title", "duration_minutes", "is_preview", "move_to"]
    show_change_link = True


class ContentItemInline(OrderedInline, admin.StackedInline):
    model = ContentItem
    form = ContentItemForm
    fields = ["order", "kind", "title", "url", "file", "text", "move_to"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


class ServiceRefusalsShown:
    """A write a service refuses (bad input, a conflict) saves nothing and says why."""

    def _shown(self, view, request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except (ValidationError, DomainError) as exc:
            reasons = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
            self.message_user(request, " ".join(reasons), level=messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def changeform_view(self, request, *args, **kwargs):
        return self._shown(super().changeform_view, request, *args, **kwargs)

    def delete_view(self, request, *args, **kwargs):
        return self._shown(super().delete_view, request, *args, **kwargs)

    def changelist_view(self, request, *args, **kwargs):
        return self._shown(super().changelist_view, request, *args, **kwargs)


class OrderedRowAdmin(ServiceRefusalsShown, admin.ModelAdmin):
    """A page of modules or lessons: the parent is fixed once created, `order` moves only."""

    def get_readonly_fields(self, request, obj=None):
        return ["order"] if obj is None else [self.form.parent_field, "order"]

    def save_model(self, request, obj, form, change):
        _adopt(obj, form.save_through_services())

    def delete_model(self, request, obj):
        self.form.delete_row(obj)

    def delete_queryset(self, request, queryset):
        for row in queryset:
            self.form.delete_row(row)


@admin.register(Course)
class CourseAdmin(ServiceRefusalsShown, admin.ModelAdmin):
    list_display = ["title", "slug", "instructor", "price", "currency", "is_published", "modules"]
    list_filter = ["is_published", ("instructor", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["title", "slug", "description", "instructor__email"]
    prepopulated_fields = {"slug": ["title"]}
    list_select_related = ["instructor"]
    raw_id_fields = ["instructor"]
    filter_horizontal = ["prerequisites"]
    inlines = [ModuleInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(module_total=Count("modules"))

    @admin.display(ordering="module_total", description="modules")
    def modules(self, course) -> int:
        return course.module_total

    def save_model(self, request, obj, form, change):
        data = dict(form.cleaned_data)
        if change:
            data = {name: data[name] for name in form.changed_data}
            if data.get("thumbnail") is False:  # the "clear" box
                data["thumbnail"] = None
            _adopt(obj, services.course_update(course=obj, data=data, **acting(request)))
        else:
            data["thumbnail"] = _upload(form, "thumbnail")
            _adopt(obj, services.course_create(**data, **acting(request)))

    def save_related(self, request, form, formsets, change):
        # Prerequisites were saved by the service (with its cycle check), not by the form.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def delete_model(self, request, obj):
        services.course_delete(course=obj, **acting(request))

    def delete_queryset(self, request, queryset):
        for course in queryset:
            services.course_delete(course=course, **acting(request))


@admin.register(Module)
class ModuleAdmin(OrderedRowAdmin):
    form = ModuleForm
    fields = ["course", "title", "description", "release_days", "order", "move_to"]
    list_display = ["title", "course", "order"]
    list_filter = ["course__is_published"]
    search_fields = ["title", "course__title"]
    list_select_related = ["course"]
    autocomplete_fields = ["course"]
    inlines = [LessonInline]


@admin.register(Lesson)
class LessonAdmin(OrderedRowAdmin):
    form = LessonForm
    fields = ["module", "title", "content", "duration_minutes", "is_preview", "order", "move_to"]
    list_display = ["title", "module", "order", "duration_minutes", "is_preview"]
    list_filter = ["is_preview", "module__course__is_published"]
    search_fields = ["title", "module__title", "module__course__title"]
    list_select_related = ["module"]
    autocomplete_fields = ["module"]
    inlines = [ContentItemInline]
