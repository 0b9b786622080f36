"""Admin screens for courses and their content."""

from django.contrib import admin
from django.db import models
from django.db.models import Count

from .models import ContentItem, Course, Lesson, Module


class ModuleInline(admin.TabularInline):
    model = Module
    fields = ["order", "title", "description"]
    extra = 0
    ordering = ["order"]
    show_change_link = True


class LessonInline(admin.TabularInline):
    model = Lesson
    fields = ["order", "title", "duration_minutes", "is_preview"]
    extra = 0
    ordering = ["order"]
    show_change_link = True


class ContentItemInline(admin.StackedInline):
    model = ContentItem
    fields = ["order", "kind", "title", "url", "file", "text"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    extra = 0
    ordering = ["order"]


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "instructor", "price", "currency", "is_published", "modules"]
    list_filter = ["is_published", ("instructor", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["title", "slug", "description", "instructor__email"]
    prepopulated_fields = {"slug": ["title"]}
    list_select_related = ["instructor"]
    raw_id_fields = ["instructor"]
    inlines = [ModuleInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(module_total=Count("modules"))

    @admin.display(ordering="module_total", description="modules")
    def modules(self, course) -> int:
        return course.module_total


@admin.register(Module)
class ModuleAdmin(admin.ModelAdmin):
    list_display = ["title", "course", "order"]
    list_filter = ["course__is_published"]
    search_fields = ["title", "course__title"]
    list_select_related = ["course"]
    autocomplete_fields = ["course"]
    inlines = [LessonInline]


@admin.register(Lesson)
class LessonAdmin(admin.ModelAdmin):
    list_display = ["title", "module", "order", "duration_minutes", "is_preview"]
    list_filter = ["is_preview", "module__course__is_published"]
    search_fields = ["title", "module__title", "module__course__title"]
    list_select_related = ["module"]
    autocomplete_fields = ["module"]
    inlines = [ContentItemInline]
