"""State changes for courses and their content; `order` stays dense (1..n) per parent."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import IntegrityError, models, transaction
from django.db.models import ProtectedError
from django.utils.text import slugify

from lms.audit.services import audit_record
from lms.common.exceptions import Conflict
from lms.common.ordering import order_close_gap, order_insert_position, order_move
from lms.common.registry import Registry

from .files import (
    check_image,
    check_stored_content_file,
    checked_content_upload_name,
    checked_upload_name,
)
from .models import ContentItem, Course, Lesson, Module
from .prerequisites import course_prerequisites_set, prerequisites_lock
from .storage import delete_on_commit, deleted_if_write_fails, store_upload

#: Why a course cannot be deleted yet, asked by the apps above (enrollments: active
#: learners): hook(course) -> a message for the 409, or None.
course_delete_refusals = Registry("reasons a course cannot be deleted")

http_url_validator = URLValidator(
    schemes=["http", "https"], message="Enter a valid http:// or https:// URL."
)


def _lock(model: type[models.Model], pk: int) -> models.Model:
    """Lock the parent row: every change to its children's order queues behind it."""
    return model.objects.select_for_update().get(pk=pk)


# --- Files --------------------------------------------------------------------------


def _content_file_names(**lookup) -> list[str]:
    return list(
        ContentItem.objects.filter(**lookup).exclude(file="").values_list("file", flat=True)
    )


# --- Courses ------------------------------------------------------------------------


def _unique_slug(title: str) -> str:
    base = slugify(title)[:200].strip("-") or "course"
    taken = set(Course.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


@transaction.atomic
def course_create(
    *,
    instructor,
    title: str,
    slug: str | None = None,
    description: str = "",
    price: Decimal = Decimal("0.00"),
    currency: str = "USD",
    is_published: bool = False,
    capacity: int | None = None,
    thumbnail: UploadedFile | None = None,
    acting_user=None,
    ip: str | None = None,
    sequential: bool = False,
    prerequisites=(),
) -> Course:
    """Create a course taught by `instructor`; the slug comes from the title when not given.

    A course created published is audited as `course.published` (by `acting_user`).
    """
    if thumbnail is not None:
        thumbnail_name = checked_upload_name(check_image, thumbnail, field="thumbnail")
    course = Course(
        instructor=instructor,
        title=title,
        description=description,
        price=price,
        currency=currency.upper(),
        is_published=is_published,
        capacity=capacity,
        sequential=sequential,
    )
    for _attempt in range(3):
        course.slug = slug or _unique_slug(title)
        try:
            with transaction.atomic():
                course.save()
            break
        except IntegrityError:
            if slug:  # the client's own slug is taken: that is their conflict
                raise
    else:
        raise Conflict("Could not find a free slug for this title; give one explicitly.")
    if is_published:
        _audit_publishing(course, was=False, acting_user=acting_user, ip=ip)
    if prerequisites:
        course_prerequisites_set(course=course, prerequisites=prerequisites)
    if thumbnail is not None:
        course.thumbnail.save(thumbnail_name, thumbnail, save=True)
    return course


def _audit_publishing(course: Course, *, was: bool, acting_user, ip: str | None) -> None:
    if course.is_published != was:
        audit_record(
            actor=acting_user,
            action="course.published" if course.is_published else "course.unpublished",
            target=course,
            changes={"is_published": [was, course.is_published]},
            ip=ip,
        )


@transaction.atomic
def course_update(*, course: Course, data: dict, acting_user=None, ip: str | None = None) -> Course:
    """Change a course's fields; a new thumbnail replaces (and deletes) the old one.

    Publishing and unpublishing are audited (by `acting_user`, from `ip`).
    """
    thumbnail = data.pop("thumbnail", False)
    prerequisites = data.pop("prerequisites", None)
    new_name = None
    if thumbnail:
        # Checked and stored before the row is locked: the storage may be a network away.
        name = checked_upload_name(check_image, thumbnail, field="thumbnail")
        new_name = store_upload(course.thumbnail, name, thumbnail)
    with deleted_if_write_fails([new_name]):
        if prerequisites is not None:
            prerequisites_lock(course=course, prerequisites=prerequisites)
        course = Course.objects.select_for_update().get(pk=course.pk)
        was_published = course.is_published
        for field, value in data.items():
            setattr(course, field, value)
        if "currency" in data:
            course.currency = course.currency.upper()
        if thumbnail is not False:
            delete_on_commit([course.thumbnail.name])
            course.thumbnail = new_name or ""
        course.save()
        _audit_publishing(course, was=was_published, acting_user=acting_user, ip=ip)
        if prerequisites is not None:
            course_prerequisites_set(course=course, prerequisites=prerequisites)
    return course


@transaction.atomic
def course_delete(*, course: Course, acting_user=None, ip: str | None = None) -> None:
    """Delete a course and its content; refused (409) while anyone is enrolled or has paid.

    Audited as `course.deleted` (the entry keeps the title and slug).
    """
    course = Course.objects.select_for_update().get(pk=course.pk)
    for refusal in course_delete_refusals:
        reason = refusal(course)
        if reason:
            raise Conflict(reason)
    files = [course.thumbnail.name, *_content_file_names(lesson__module__course=course)]
    course_id = course.pk
    try:
        with transaction.atomic():
            course.delete()
    except ProtectedError as exc:
        raise Conflict(
            "This course has enrollment or payment history; unpublish it instead of deleting it."
        ) from exc
    audit_record(
        actor=acting_user,
        action="course.deleted",
        target=course,
        target_id=course_id,
        changes={"title": [course.title, None], "slug": [course.slug, None]},
        ip=ip,
    )
    delete_on_commit(files)


# --- Modules ------------------------------------------------------------------------


def _module_siblings(course_id: int) -> models.QuerySet:
    return Module.objects.filter(course_id=course_id)


@transaction.atomic
def module_create(*, course: Course, order: int | None = None, **fields) -> Module:
    """Add a module (`title`, `description`, `release_days`) at the end, or at `order`."""
    _lock(Course, course.pk)
    position = order_insert_position(_module_siblings(course.pk), order)
    return Module.objects.create(course=course, order=position, **fields)


@transaction.atomic
def module_update(*, module: Module, data: dict) -> Module:
    """Change a module's title or description (`order` changes go through `module_move`)."""
    for field, value in data.items():
        setattr(module, field, value)
    module.save()
    return module


@transaction.atomic
def module_delete(*, module: Module) -> None:
    """Delete a module with its lessons; the modules after it move up."""
    _lock(Course, module.course_id)
    module = Module.objects.get(pk=module.pk)
    files = _content_file_names(lesson__module=module)
    module.delete()
    order_close_gap(_module_siblings(module.course_id), module.order)
    delete_on_commit(files)


@transaction.atomic
def module_move(*, module: Module, order: int) -> Module:
    """Move a module to position `order` within its course."""
    _lock(Course, module.course_id)
    module = Module.objects.select_related("course").get(pk=module.pk)
    order_move(module, _module_siblings(module.course_id), order)
    return module


# --- Lessons ------------------------------------------------------------------------


def _lesson_siblings(module_id: int) -> models.QuerySet:
    return Lesson.objects.filter(module_id=module_id)


@transaction.atomic
def lesson_create(
    *,
    module: Module,
    title: str,
    content: str = "",
    duration_minutes: int = 0,
    is_preview: bool = False,
    order: int | None = None,
) -> Lesson:
    """Add a lesson at the end of `module`, or at `order` (later lessons move down)."""
    _lock(Module, module.pk)
    position = order_insert_position(_lesson_siblings(module.pk), order)
    return Lesson.objects.create(
        module=module,
        title=title,
        content=content,
        duration_minutes=duration_minutes,
        is_preview=is_preview,
        order=position,
    )


@transaction.atomic
def lesson_update(*, lesson: Lesson, data: dict) -> Lesson:
    """Change a lesson's fields (`order` changes go through `lesson_move`)."""
    for field, value in data.items():
        setattr(lesson, field, value)
    lesson.save()
    return lesson


@transaction.atomic
def lesson_delete(*, lesson: Lesson) -> None:
    """Delete a lesson with its content items; the lessons after it move up."""
    _lock(Module, lesson.module_id)
    lesson = Lesson.objects.get(pk=lesson.pk)
    files = _content_file_names(lesson=lesson)
    lesson.delete()
    order_close_gap(_lesson_siblings(lesson.module_id), lesson.order)
    delete_on_commit(files)


@transaction.atomic
def lesson_move(*, lesson: Lesson, order: int) -> Lesson:
    """Move a lesson to position `order` within its module."""
    _lock(Module, lesson.module_id)
    lesson = Lesson.objects.select_related("module__course").get(pk=lesson.pk)
    order_move(lesson, _lesson_siblings(lesson.module_id), order)
    return lesson


# --- Content items ------------------------------------------------------------------

KIND_FIELD = {
    ContentItem.Kind.VIDEO: "url",
    ContentItem.Kind.LINK: "url",
    ContentItem.Kind.PDF: "file",
    ContentItem.Kind.FILE: "file",
    ContentItem.Kind.TEXT: "text",
}


def _check_kind(item: ContentItem, *, new_file: bool) -> None:
    """Each kind needs its own field; the fields of other kinds are cleared."""
    needed = KIND_FIELD[item.kind]
    has = {"url": bool(item.url), "file": new_file or bool(item.file), "text": bool(item.text)}
    if not has[needed]:
        raise ValidationError({needed: [f"A {item.kind} item needs a {needed}."]})
    if item.url:
        http_url_validator(item.url)
    if needed != "url":
        item.url = ""
    if needed != "text":
        item.text = ""


def _content_item_siblings(lesson_id: int) -> models.QuerySet:
    return ContentItem.objects.filter(lesson_id=lesson_id)


@transaction.atomic
def content_item_create(
    *,
    lesson: Lesson,
    kind: str,
    title: str,
    url: str = "",
    text: str = "",
    file: UploadedFile | None = None,
    order: int | None = None,
) -> ContentItem:
    """Add a content item at the end of `lesson`, or at `order`; its file goes to storage."""
    item = ContentItem(lesson=lesson, kind=kind, title=title, url=url, text=text)
    name = checked_content_upload_name(kind, file) if file is not None else None
    _check_kind(item, new_file=file is not None)
    # Stored before the lesson is locked: the storage may be a network away.
    item.file = store_upload(item.file, name, file) if file is not None else ""
    with deleted_if_write_fails([item.file.name]):
        _lock(Lesson, lesson.pk)
        item.order = order_insert_position(_content_item_siblings(lesson.pk), order)
        item.save()
    return item


@transaction.atomic
def content_item_update(*, item: ContentItem, data: dict) -> ContentItem:
    """Change a content item; a new file replaces (and deletes) the old one.

    Every write that could change what a file is taken for is checked from the bytes: a
    new upload against the item's kind, and the stored file when only the kind changes.
    """
    file = data.pop("file", None)
    # The row as stored (the caller's copy may already carry the new values, as the
    # admin's does); checked unlocked, then required unchanged once the lock is held.
    stored = ContentItem.objects.get(pk=item.pk)
    kind = data.get("kind", stored.kind)
    seen = (stored.kind, stored.file.name)
    new_name = None
    if file is not None:
        new_name = store_upload(stored.file, checked_content_upload_name(kind, file), file)
    elif kind != stored.kind:
        check_stored_content_file(kind, stored.file)
    with deleted_if_write_fails([new_name]):
        _lock(Lesson, item.lesson_id)
        item = ContentItem.objects.select_related("lesson__module__course").get(pk=item.pk)
        if (item.kind, item.file.name) != seen:
            raise Conflict("The item changed while this request was checked; send it again.")
        for field, value in data.items():
            setattr(item, field, value)
        old_file = item.file.name
        _check_kind(item, new_file=new_name is not None)
        if KIND_FIELD[item.kind] != "file":
            item.file = ""
        elif new_name is not None:
            item.file = new_name
        item.save()
    if old_file and old_file != item.file.name:
        delete_on_commit([old_file])
    return item


@transaction.atomic
def content_item_delete(*, item: ContentItem) -> None:
    """Delete a content item and its file; the items after it move up."""
    _lock(Lesson, item.lesson_id)
    item = ContentItem.objects.get(pk=item.pk)
    item.delete()
    order_close_gap(_content_item_siblings(item.lesson_id), item.order)
    delete_on_commit([item.file.name])


@transaction.atomic
def content_item_move(*, item: ContentItem, order: int) -> ContentItem:
    """Move a content item to position `order` within its lesson."""
    _lock(Lesson, item.lesson_id)
    item = ContentItem.objects.select_related("lesson__module__course").get(pk=item.pk)
    order_move(item, _content_item_siblings(item.lesson_id), order)
    return item
