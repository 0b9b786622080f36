"""Writing the audit log (inside the caller's transaction) and who the caller is."""

import ipaddress

from django.conf import settings
from django.db import models, transaction

from .models import AuditEntry


def client_ip(request) -> str | None:
    """The client's IP: REMOTE_ADDR, or X-Forwarded-For behind TRUSTED_PROXY_COUNT proxies.

    The same rule as the throttles (DRF's NUM_PROXIES): without a trusted proxy the
    header is the client's own word and ignored. Anything that is not an IP gives None.
    """
    if request is None:
        return None
    meta = request.META
    forwarded = meta.get("HTTP_X_FORWARDED_FOR")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies > 0 and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",")]
        candidate = hops[-min(proxies, len(hops))]
    else:
        candidate = meta.get("REMOTE_ADDR") or ""
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return None


def audit_target_type(target: models.Model | type[models.Model]) -> str:
    """A row's kind as the log names it: the model's name in lower case (`course`)."""
    return target._meta.model_name


def audit_record(
    *,
    actor,
    action: str,
    target: models.Model,
    changes: dict | None = None,
    ip: str | None = None,
    target_id=None,
) -> AuditEntry:
    """Append one entry; call it inside the transaction that makes the change.

    `actor` is the acting user (None for the system); `target_id` is for a row just
    deleted (its pk is gone by then). If the change rolls back, so does its entry.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record() belongs inside the transaction of the change.")
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEntry.objects.create(
        actor=user,
        actor_email=user.email if user else "",
        action=action,
        target_type=audit_target_type(target),
        target_id=str(target_id if target_id is not None else target.pk),
        changes=changes or {},
        ip=ip,
    )


def audit_record_each(
    *,
    actor,
    action: str,
    targets: list[models.Model],
    changes: dict | None = None,
    ip: str | None = None,
) -> int:
    """`audit_record` for many rows changed by one action (a bulk job's batch): one INSERT."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record_each() belongs inside the transaction of the change.")
    user = actor if getattr(actor, "is_authenticated", False) else None
    entries = AuditEntry.objects.bulk_create(
        [
            AuditEntry(
                actor=user,
                actor_email=user.email if user else "",
                action=action,
                target_type=audit_target_type(target),
                target_id=str(target.pk),
                changes=changes or {},
                ip=ip,
            )
            for target in targets
        ]
    )
    return len(entries)


def audit_changes(before: dict, after: dict) -> dict:
    """{field: [old, new]} for the fields whose value differs."""
    return {
        name: [before.get(name), value]
        for name, value in after.items()
        if before.get(name) != value
    }


def acting(request) -> dict:
    """Who acts, as the keyword arguments audited services take: `acting_user` and `ip`."""
    return {"acting_user": request.user, "ip": client_ip(request)}
