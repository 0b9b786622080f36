"""Dense `order` (1..n) among siblings: insert, move and close the gap, never colliding.

Callers lock the parent row first, so every change to one parent's children queues.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F
from django.dispatch import Signal

# Rows being shifted park above this offset first, so that no UPDATE statement ever
# writes an `order` still held by a sibling (the unique constraint is not deferred).
ORDER_PARK_OFFSET = 1_000_000

#: Sent (sender: the siblings' model) after `order` changed by UPDATE, which sends no
#: post_save: caches of what shows the order listen (the catalog's).
siblings_reordered = Signal()


def _shift(siblings: models.QuerySet, selection: models.QuerySet, delta: int) -> None:
    """Add `delta` to the `order` of `selection`, in two passes that never collide."""
    selection.update(order=F("order") + ORDER_PARK_OFFSET)
    siblings.filter(order__gte=ORDER_PARK_OFFSET).update(
        order=F("order") - ORDER_PARK_OFFSET + delta
    )
    siblings_reordered.send(sender=siblings.model)


def order_insert_position(siblings: models.QuerySet, order: int | None) -> int:
    """Make room at `order` (default: the end) and return the position to use."""
    size = siblings.count()
    if order is None:
        return size + 1
    if not 1 <= order <= size + 1:
        raise ValidationError({"order": [f"Must be between 1 and {size + 1}."]})
    _shift(siblings, siblings.filter(order__gte=order), +1)
    return order


def order_close_gap(siblings: models.QuerySet, removed_order: int) -> None:
    """Move every sibling after `removed_order` up by one."""
    _shift(siblings, siblings.filter(order__gt=removed_order), -1)


def order_move(obj: models.Model, siblings: models.QuerySet, order: int) -> None:
    """Move `obj` to position `order` among `siblings` (which include it)."""
    size = siblings.count()
    if not 1 <= order <= size:
        raise ValidationError({"order": [f"Must be between 1 and {size}."]})
    current = obj.order
    if order == current:
        return
    siblings.filter(pk=obj.pk).update(order=0)  # 0 is never used by a sibling
    if order < current:
        _shift(siblings, siblings.filter(order__gte=order, order__lt=current), +1)
    else:
        _shift(siblings, siblings.filter(order__gt=current, order__lte=order), -1)
    siblings.filter(pk=obj.pk).update(order=order)
    obj.order = order
    siblings_reordered.send(sender=siblings.model)
