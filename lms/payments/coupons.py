"""Coupons: which one applies to a course, the price it gives, its redemptions, admin writes.

A payment that names a coupon is a redemption of it. A redemption *holds* one of
the coupon's `max_redemptions` while its payment is `succeeded`, or `pending` for
less than `COUPON_HOLD_MINUTES`; a failed or refunded payment, or a pending one
older than that (an abandoned checkout), holds nothing: it is released without
any write. Taking a redemption locks the coupon row, so concurrent checkouts
queue there and count each other's holds exactly.
"""

import re
from dataclasses import dataclass
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.db.models.deletion import ProtectedError
from django.db.models.functions import Lower
from django.utils import timezone

from lms.audit.services import audit_changes, audit_record
from lms.common.exceptions import Conflict
from lms.courses.models import Course

from .models import Coupon, Payment
from .money import ZERO_DECIMAL_CURRENCIES

CODE_PATTERN = re.compile(r"[A-Za-z0-9_-]{3,40}")
CODE_TAKEN = "A coupon with this code already exists (codes ignore case)."
FIELDS = (
    "code",
    "percent_off",
    "amount_off",
    "currency",
    "course",
    "max_redemptions",
    "valid_from",
    "valid_until",
    "is_active",
)


def _invalid(message: str) -> ValidationError:
    return ValidationError({"coupon": [message]})


# --- which redemptions count ------------------------------------------------------


def hold_cutoff():
    """Pending payments created before this moment no longer hold a redemption."""
    return timezone.now() - timedelta(minutes=settings.COUPON_HOLD_MINUTES)


def holding_q(prefix: str = "") -> Q:
    """Payments (under `prefix`) that hold a redemption of their coupon."""
    return Q(**{f"{prefix}status": Payment.Status.SUCCEEDED}) | Q(
        **{f"{prefix}status": Payment.Status.PENDING, f"{prefix}created_at__gte": hold_cutoff()}
    )


def hold_is_fresh(payment: Payment) -> bool:
    """Whether a pending payment still holds its coupon's redemption."""
    return payment.created_at >= hold_cutoff()


def coupons_with_counts() -> QuerySet[Coupon]:
    """Coupons with `times_redeemed` (succeeded payments) and `redemptions_pending`."""
    return (
        Coupon.objects.select_related("course")
        .order_by("-created_at", "-id")
        .annotate(
            times_redeemed=Count(
                "payments", filter=Q(payments__status=Payment.Status.SUCCEEDED), distinct=True
            ),
            redemptions_pending=Count(
                "payments",
                filter=Q(
                    payments__status=Payment.Status.PENDING, payments__created_at__gte=hold_cutoff()
                ),
                distinct=True,
            ),
        )
    )


def coupon_by_code(code: str) -> Coupon | None:
    """The coupon with this code, whatever its case (uses the Lower(code) index)."""
    return (
        Coupon.objects.alias(code_lower=Lower("code"))
        .filter(code_lower=code.strip().lower())
        .first()
    )


# --- the price a coupon gives -----------------------------------------------------


@dataclass(frozen=True)
class Quote:
    """A course's price with a coupon applied."""

    coupon: Coupon
    price: Decimal
    discount: Decimal
    amount: Decimal
    currency: str


def _discount(coupon: Coupon, price: Decimal, currency: str) -> Decimal:
    if coupon.percent_off is not None:
        whole = currency.upper() in ZERO_DECIMAL_CURRENCIES
        step = Decimal("1") if whole else Decimal("0.01")
        raw = price * Decimal(coupon.percent_off) / Decimal(100)
        discount = raw.quantize(step, rounding=ROUND_HALF_UP)
    else:
        discount = coupon.amount_off
    return min(discount, price)


def coupon_refusal(coupon: Coupon | None, course: Course, *, now=None) -> str:
    """Why `coupon` does not apply to `course` now ('' when it does); redemptions aside."""
    now = now or timezone.now()
    if coupon is None:
        return "This coupon code is not known."
    if not coupon.is_active:
        return "This coupon is no longer active."
    if coupon.valid_from is not None and now < coupon.valid_from:
        return "This coupon is not valid yet."
    if coupon.valid_until is not None and now >= coupon.valid_until:
        return "This coupon has expired."
    if coupon.course_id is not None and coupon.course_id != course.pk:
        return "This coupon is for another course."
    if coupon.amount_off is not None and coupon.currency.upper() != course.currency.upper():
        return f"This coupon is in {coupon.currency}; the course is priced in {course.currency}."
    return ""


def coupon_quote(*, code: str, course: Course, excluding: Payment | None = None) -> Quote:
    """The price of `course` with the coupon `code`; a 400 `{"coupon": [...]}` says why not.

    Also refuses a coupon whose redemptions are all held (a hint: checkout decides
    under the coupon's lock); `excluding` is the caller's own pending checkout.
    """
    if course.is_free:
        raise ValidationError({"course": ["This course is free; no coupon is needed."]})
    coupon = coupon_by_code(code)
    refusal = coupon_refusal(coupon, course)
    if refusal:
        raise _invalid(refusal)
    if (
        coupon.max_redemptions is not None
        and _holds(coupon, excluding=excluding) >= coupon.max_redemptions
    ):
        raise _invalid(USED_UP)
    discount = _discount(coupon, course.price, course.currency)
    return Quote(
        coupon=coupon,
        price=course.price,
        discount=discount,
        amount=course.price - discount,
        currency=course.currency,
    )


# --- taking a redemption ----------------------------------------------------------

USED_UP = "This coupon has been used up."


def _holds(coupon: Coupon, *, excluding: Payment | None = None) -> int:
    payments = Payment.objects.filter(holding_q(), coupon=coupon)
    if excluding is not None:
        payments = payments.exclude(pk=excluding.pk)
    return payments.count()


def coupon_reserve(*, coupon: Coupon, excluding: Payment | None = None) -> Coupon:
    """Lock `coupon` and check one more redemption fits; the caller then creates the payment.

    Call inside the transaction that creates (or confirms) the payment: the lock is held
    until it commits, so the next checkout counts this one. `excluding` is a payment
    whose own (possibly lapsed) hold is being renewed.
    """
    locked = Coupon.objects.select_for_update().get(pk=coupon.pk)
    if locked.max_redemptions is not None and (
        _holds(locked, excluding=excluding) >= locked.max_redemptions
    ):
        raise _invalid(USED_UP)
    return locked


def coupon_hold_check(payment: Payment) -> None:
    """Before a coupon payment succeeds: its redemption must still fit (400 when used up).

    A payment paid within its hold always fits; one whose hold lapsed fits only if the
    coupon has a redemption to spare now.
    """
    if payment.coupon_id is not None:
        coupon_reserve(coupon=payment.coupon, excluding=payment)


# --- admin writes -----------------------------------------------------------------


def _coupon_validate(coupon: Coupon) -> None:
    """The rules the database also holds, as field errors (400) before it is asked."""
    errors: dict[str, list[str]] = {}
    coupon.code = (coupon.code or "").strip()
    if not CODE_PATTERN.fullmatch(coupon.code):
        errors["code"] = ["3 to 40 letters, digits, '-' or '_'."]
    has_percent, has_amount = coupon.percent_off is not None, coupon.amount_off is not None
    if has_percent == has_amount:
        errors["percent_off"] = ["Give exactly one of percent_off and amount_off."]
    if has_percent and not 1 <= coupon.percent_off <= 100:
        errors["percent_off"] = ["Between 1 and 100."]
    if has_amount:
        if coupon.amount_off <= 0:
            errors["amount_off"] = ["Must be greater than 0."]
        coupon.currency = (coupon.currency or "").strip().upper()
        if not re.fullmatch(r"[A-Z]{3}", coupon.currency):
            errors["currency"] = ["A fixed amount needs its ISO currency code (e.g. USD)."]
    elif coupon.currency:
        errors["currency"] = ["Only a fixed amount_off has a currency."]
    if coupon.max_redemptions is not None and coupon.max_redemptions < 1:
        errors["max_redemptions"] = ["At least 1 (or null for no limit)."]
    if coupon.valid_from and coupon.valid_until and coupon.valid_from >= coupon.valid_until:
        errors["valid_until"] = ["Must be after valid_from."]
    if errors:
        raise ValidationError(errors)


def _coupon_save(coupon: Coupon, **save_kwargs) -> Coupon:
    _coupon_validate(coupon)
    try:
        with transaction.atomic():
            coupon.save(**save_kwargs)
    except IntegrityError as exc:
        if coupon_by_code(coupon.code) not in (None, coupon):
            raise ValidationError({"code": [CODE_TAKEN]}) from exc
        raise
    return coupon


def _audited(coupon: Coupon) -> dict:
    """A coupon's fields as the audit log records them (JSON-ready)."""
    values = {name: getattr(coupon, name) for name in FIELDS} | {"course": coupon.course_id}
    for name, value in values.items():
        if isinstance(value, Decimal):
            values[name] = str(value)
        elif hasattr(value, "isoformat"):
            values[name] = value.isoformat()
    return values


def coupon_create(*, acting_user, data: dict, ip: str | None = None) -> Coupon:
    """Create a coupon from validated fields (`acting_user`: the admin, for the audit log)."""
    with transaction.atomic():
        coupon = _coupon_save(Coupon(**{name: data[name] for name in FIELDS if name in data}))
        audit_record(
            actor=acting_user,
            action="coupon.created",
            target=coupon,
            changes={name: [None, value] for name, value in _audited(coupon).items()},
            ip=ip,
        )
        return coupon


def coupon_update(*, coupon: Coupon, acting_user, data: dict, ip: str | None = None) -> Coupon:
    """Change some fields of a coupon; later checkouts see the change, earlier payments keep
    their price."""
    with transaction.atomic():
        coupon = Coupon.objects.select_for_update().get(pk=coupon.pk)
        before = _audited(coupon)
        for name in FIELDS:
            if name in data:
                setattr(coupon, name, data[name])
        coupon = _coupon_save(coupon)
        audit_record(
            actor=acting_user,
            action="coupon.updated",
            target=coupon,
            changes=audit_changes(before, _audited(coupon)),
            ip=ip,
        )
        return coupon


def coupon_delete(*, coupon: Coupon, acting_user, ip: str | None = None) -> None:
    """Delete a coupon no payment used; a redeemed one is deactivated instead (409)."""
    with transaction.atomic():
        audit_record(
            actor=acting_user,
            action="coupon.deleted",
            target=coupon,
            changes={"code": [coupon.code, None]},
            ip=ip,
        )
        try:
            with transaction.atomic():
                Coupon.objects.filter(pk=coupon.pk).delete()
        except ProtectedError as exc:
            raise Conflict(
                "Payments used this coupon; deactivate it (is_active: false) instead.",
                code="coupon_in_use",
            ) from exc
