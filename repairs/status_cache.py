"""The public status page, cached per job and per status link, dropped when anything about the job changes.

Residents check the status page instead of calling, so it is the hottest read. Two layers:

- the part every follower of a job sees alike (state, appointment, public timeline, how many
  neighbours reported) is rendered once under the job's id (`get`/`put`);
- the whole page of one status link (its reference, its own action links, the done message) is stored
  with placeholders for the per-response CSP nonce and CSRF token (the CMS page cache's helpers), and
  tagged with the job's version and the CMS content generation (the header, footer and contact
  settings). A repeat anonymous request then costs no query: the link's entry, the job's version and
  the generation come from the cache, and the placeholders are filled in.

Any saved or deleted JobEvent, Appointment, Report or Job of the job drops its content and its version
(now, and again after the commit, so no request refills it with rows about to change), which makes
every stored page of the job stale; an event on a follow-on or recall drops the original job's too (its
timeline shows its follow-ups' events). A report merged into another job drops its old job's version, so
its link is looked up afresh. The page of one link is never served for another: the key is the link.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language

from cms import page_cache

CACHE_SECONDS = 60 * 60


def cache_key(job_id: int, language: str | None = None) -> str:
    """The job's shared part in one language (the page reads in the language of its address)."""
    return f"repairs:status:job:{job_id}:{language or get_language()}"


def version_key(job_id: int) -> str:
    return f"repairs:status:version:{job_id}"


def get(job_id: int) -> dict | None:
    return cache.get(cache_key(job_id))


def put(job_id: int, content: dict) -> None:
    cache.set(cache_key(job_id), content, CACHE_SECONDS)


def version(job_id: int) -> int:
    """The job's current version; read it before reading the rows a stored page is made from."""
    key = version_key(job_id)
    value = cache.get(key)
    if value is None:
        cache.add(key, time.time_ns(), CACHE_SECONDS)
        value = cache.get(key)
    return value


def _forget(job_id: int) -> None:
    cache.delete_many([*(cache_key(job_id, code) for code, _ in settings.LANGUAGES), version_key(job_id)])


def drop(job_id: int | None) -> None:
    if job_id:
        _forget(job_id)
        transaction.on_commit(partial(_forget, job_id))


# --- whole pages, per status link ---------------------------------------------------------------


@dataclass(frozen=True)
class StatusPage:
    job_id: int
    version: int
    generation: int
    content: str
    content_type: str


def is_cacheable(request: HttpRequest) -> bool:
    """Anonymous GETs only: a signed-in user's page carries the Wagtail user bar."""
    return request.method == "GET" and not request.user.is_authenticated


def page_key(request: HttpRequest, token: str, done: str) -> str:
    # The link is a secret: the key holds a digest of it, never the link itself.
    digest = hashlib.sha256(token.encode()).hexdigest()
    scheme = "https" if request.is_secure() else "http"
    return f"repairs:status:page:{scheme}:{request.get_host()}:{get_language()}:{digest}:{done}"


def cached_response(request: HttpRequest, token: str, done: str) -> HttpResponse | None:
    """The stored page of this link, filled in for this request, if nothing it shows has changed."""
    entry = cache.get(page_key(request, token, done))
    if entry is None:
        return None
    current = cache.get_many([version_key(entry.job_id), page_cache.GENERATION_KEY])
    if current.get(version_key(entry.job_id)) != entry.version or (
        current.get(page_cache.GENERATION_KEY) != entry.generation
    ):
        return None
    return HttpResponse(page_cache.fill_in(request, entry.content), content_type=entry.content_type)


def store(
    request: HttpRequest,
    token: str,
    done: str,
    *,
    job_id: int,
    job_version: int,
    generation: int,
    response: HttpResponse,
) -> None:
    """Keep a successful render of this link's page, the versions read before rendering it attached."""
    if hasattr(response, "render"):
        response.render()
    if response.status_code != 200:
        return
    entry = StatusPage(
        job_id=job_id,
        version=job_version,
        generation=generation,
        content=page_cache.to_placeholders(request, response.content.decode(response.charset)),
        content_type=response["Content-Type"],
    )
    cache.set(page_key(request, token, done), entry, CACHE_SECONDS)


# --- invalidation -------------------------------------------------------------------------------


def _drop_for_instance(sender, instance, **kwargs) -> None:
    from repairs.models import Job

    if isinstance(instance, Job):
        drop(instance.pk)
        drop(instance.merged_into_id)
        drop(instance.follows_id)
        return
    drop(instance.job_id)
    # A follow-on or recall's events are also on the original job's timeline. Read `follows_id` only
    # from a job already loaded on the instance (as `record_event` leaves it), never with a query.
    if type(instance).job.is_cached(instance):
        drop(instance.job.follows_id)


def connect() -> None:
    """Hook the models whose changes the page shows; called once when the app is ready."""
    from django.apps import apps

    for label in ("workflows.JobEvent", "scheduling.Appointment", "repairs.Report", "repairs.Job"):
        try:
            model = apps.get_model(label)
        except LookupError:  # an app left out of INSTALLED_APPS
            continue
        post_save.connect(_drop_for_instance, sender=model, dispatch_uid=f"status-cache-{label}")
        post_delete.connect(_drop_for_instance, sender=model, dispatch_uid=f"status-cache-del-{label}")


connect()
