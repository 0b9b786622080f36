"""The anonymous catalog, course and outline answers, cached under one catalog version.

Any save or delete of a row these answers show (any model of this app: course, module,
lesson, content item and those added later; the instructor's name; the models apps above
register in `catalog_sources`:
enrollments for `enrolled_count`, quizzes), any many-to-many change on them and any
reordering bumps the version, so every cached answer is replaced at once; fields other
apps add later are covered without listing them. The version is bumped at once and again
after commit: a request that read the old rows during the transaction cannot leave them
cached under the new version. Answers carry `ETag` and `Last-Modified`; a conditional
request that matches gets 304.
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date
from rest_framework.renderers import JSONRenderer

from lms.common.ordering import siblings_reordered
from lms.common.registry import Registry
from lms.users.models import User

from .models import Course

#: Models of apps above whose rows the cached answers show: hook() -> list of models.
catalog_sources = Registry("models whose changes the cached catalog shows")

VERSION_KEY = "courses:catalog:version"
#: The version outlives every entry; once it expires it restarts from the clock (above any
#: old version), so nothing stale comes back and no key is kept forever.
VERSION_SECONDS = 30 * 24 * 60 * 60
#: An answer leaves the cache after at most this long (a read of an old version rebuilds it).
ENTRY_MAX_SECONDS = 60 * 60
#: A user's fields the catalog shows (as a course's instructor).
INSTRUCTOR_FIELDS = frozenset({"first_name", "last_name", "email"})
#: Query parameters a cached answer may have: free text (`search`) is answered uncached,
#: so anonymous clients cannot fill the cache with one entry per string.
CACHEABLE_PARAMS = frozenset({"page", "page_size", "ordering", "is_free", "instructor"})


def catalog_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        # Time-based start: after Redis lost the key, no old entry's version comes back.
        version = time.time_ns() // 1000
        cache.add(VERSION_KEY, version, timeout=VERSION_SECONDS)
    return version


def catalog_version_bump() -> None:
    """Replace every cached catalog answer, now and once the transaction commits."""
    _bump()
    transaction.on_commit(_bump)


def _bump() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # no version yet (or the cache is unreachable)
        cache.set(VERSION_KEY, time.time_ns() // 1000, timeout=VERSION_SECONDS)


def entry_seconds() -> int:
    """How long an answer is kept: half the life of the signed file links it holds
    (thumbnails), so a cached link always has at least half its lifetime left."""
    storage_options = settings.STORAGES["default"].get("OPTIONS", {})
    links = [
        settings.COURSES_DOWNLOAD_LINK_SECONDS,
        storage_options.get("querystring_expire", ENTRY_MAX_SECONDS),
    ]
    return max(1, min(ENTRY_MAX_SECONDS, *links) // 2)


def cached_anonymous_answer(request, build) -> HttpResponse:
    """`build()`'s answer to an anonymous GET, from the cache when the catalog is unchanged.

    Only 200 answers are cached; `build` runs the view as usual (filters, pagination).
    """
    if not set(request.GET) <= CACHEABLE_PARAMS or len(request.get_full_path()) > 300:
        return build()
    # One round trip: the version and this path's entry, which names the version it is of.
    # Links in the answer are absolute: one entry per scheme and (allowed) host too.
    key = f"courses:catalog:{request.scheme}://{request.get_host()}{request.get_full_path()}"
    found = cache.get_many([VERSION_KEY, key])
    version = found.get(VERSION_KEY) or catalog_version()
    entry = found.get(key)
    if entry is None or entry["version"] != version:
        response = build()
        if response.status_code != 200:
            return response
        body = JSONRenderer().render(response.data)
        entry = {
            "version": version,
            "body": body,
            "etag": f'"{hashlib.blake2b(body, digest_size=16).hexdigest()}"',
            "modified": int(time.time()),
        }
        cache.set(key, entry, timeout=entry_seconds())
    answer = HttpResponse(entry["body"], content_type="application/json")
    answer["ETag"] = entry["etag"]
    answer["Last-Modified"] = http_date(entry["modified"])
    patch_vary_headers(answer, ["Authorization"])  # a signed-in caller sees other rows
    return get_conditional_response(
        request, etag=entry["etag"], last_modified=entry["modified"], response=answer
    )


def _saved_or_deleted(sender, update_fields=None, **kwargs) -> None:
    if sender is User:
        # A login saves `last_login`: not something the catalog shows.
        if update_fields is None or INSTRUCTOR_FIELDS & set(update_fields):
            catalog_version_bump()
    elif _is_watched(sender):
        catalog_version_bump()


def _m2m_changed(sender, instance, model=None, **kwargs) -> None:
    if _is_watched(type(instance)) or (model is not None and _is_watched(model)):
        catalog_version_bump()


def _reordered(sender, **kwargs) -> None:
    if _is_watched(sender):
        catalog_version_bump()


def _is_watched(model: type) -> bool:
    """Every model of this app (today's four and any added later), and the registered ones."""
    if model._meta.app_label == Course._meta.app_label:
        return True
    return issubclass(model, tuple(m for hook in catalog_sources for m in hook()))


def connect() -> None:
    """Listen for changes of every model, deciding at each signal whether it is watched:
    apps above register their sources after this app's `ready()`."""
    post_save.connect(_saved_or_deleted, dispatch_uid="catalog-save")
    post_delete.connect(_saved_or_deleted, dispatch_uid="catalog-delete")
    m2m_changed.connect(_m2m_changed, dispatch_uid="catalog-m2m")
    siblings_reordered.connect(_reordered, dispatch_uid="catalog-reorder")
