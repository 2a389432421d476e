"""Open311 GeoReport v2 at /open311/v2/: services, their definitions, requests and request status.

Reads need no key, as the specification has it (they show nothing personal: `requests.record`), and
are limited per client address (API_ANONYMOUS_RATE, as the repairs API's calls without a key);
creating a request needs an `api_key` with the `book` scope and counts against its rate limit.
Over a limit the answer is the specification's error list with code 429 and `Retry-After`, in the
format asked for, since Open311 clients read errors in that shape.
Errors are the specification's `errors` list with the HTTP status as the code.
"""

from __future__ import annotations

from functools import wraps

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from repairs.abuse import hit
from repairs.journey import booking

from ..auth import anonymous_limit
from ..keys import key_for_secret, take_allowance
from ..models import Scope
from ..nul import NUL_MESSAGE, carries_nul
from ..problems import Problem
from ..reporting import file_repair
from . import formats
from . import requests as service_requests
from .catalogue import attributes, service_for, services
from .create import order_from


def refuse_nul(view):
    """Open311 errors for a request carrying a NUL character (PostgreSQL text cannot hold one)."""

    @wraps(view)
    def checked(request: HttpRequest, *args, fmt: str, **kwargs) -> HttpResponse:
        if carries_nul(request) or any("\x00" in str(value) for value in kwargs.values()):
            return formats.errors(fmt, 400, NUL_MESSAGE)
        return view(request, *args, fmt=fmt, **kwargs)

    return checked


def read_limited(view):
    """Reads (GET) count against the client address's allowance for calls without a key."""

    @wraps(view)
    def limited(request: HttpRequest, *args, fmt: str, **kwargs) -> HttpResponse:
        if request.method == "GET":
            verdict = hit(request, anonymous_limit())
            if not verdict.allowed:
                response = formats.errors(
                    fmt, 429, f"Too many requests from this address. Try again in {verdict.retry_after}s."
                )
                response["Retry-After"] = str(verdict.retry_after)
                return response
        return view(request, *args, fmt=fmt, **kwargs)

    return limited


@require_GET
@read_limited
@refuse_nul
def service_list(request: HttpRequest, fmt: str) -> HttpResponse:
    listed = [
        {
            "service_code": service.code,
            "service_name": service.name,
            "description": service.description,
            "metadata": True,
            "type": "realtime",
            "keywords": service.keywords,
            "group": service.group,
        }
        for service in services()
    ]
    return formats.render(listed, fmt, root="services", item="service")


@require_GET
@read_limited
@refuse_nul
def service_definition(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    service = service_for(code)
    if service is None:
        return formats.errors(fmt, 404, f"No service has the code '{code[:40]}'.")
    definition = {
        "service_code": service.code,
        "attributes": [
            {
                "variable": True,
                "code": attribute.code,
                "datatype": "singlevaluelist",
                "required": attribute.required,
                "datatype_description": attribute.hint,
                "order": order,
                "description": attribute.description,
                "values": [{"key": choice.key, "name": choice.name} for choice in attribute.choices],
            }
            for order, attribute in enumerate(attributes(service), start=1)
        ],
    }
    return formats.render(definition, fmt, root="service_definition", item="")


@csrf_exempt
@require_http_methods(["GET", "POST"])
@read_limited
@refuse_nul
def request_list(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return _create(request, fmt)
    query = request.GET
    try:
        if query.get("service_request_id"):
            found = service_requests.by_references(query["service_request_id"])
        else:
            found = service_requests.matching(
                service_code=query.get("service_code", ""),
                status=query.get("status", ""),
                start=query.get("start_date", ""),
                end=query.get("end_date", ""),
            )
    except service_requests.BadQuery as error:
        return formats.errors(fmt, 400, str(error))
    records = [service_requests.record(report) for report in found]
    return formats.render(records, fmt, root="service_requests", item="request")


@require_GET
@read_limited
@refuse_nul
def request_detail(request: HttpRequest, reference: str, fmt: str) -> HttpResponse:
    found = service_requests.by_references(reference[:20])
    if not found:
        return formats.errors(fmt, 404, f"No service request has the id '{reference[:20]}'.")
    return formats.render([service_requests.record(found[0])], fmt, root="service_requests", item="request")


def _create(request: HttpRequest, fmt: str) -> HttpResponse:
    try:
        return _file(request, fmt)
    except Problem as problem:
        response = formats.errors(fmt, problem.status, problem.detail)
        for name, value in problem.headers.items():
            response[name] = value
        return response


def _file(request: HttpRequest, fmt: str) -> HttpResponse:
    form = request.POST
    api_key = key_for_secret(form.get("api_key", "").strip())
    if api_key is None:
        raise Problem(403, "invalid-key", "api_key is missing, unknown, revoked or expired.")
    if not api_key.allows(Scope.BOOK):
        raise Problem(403, "missing-scope", "This api_key may not create service requests.")
    allowance = take_allowance(api_key)
    if not allowance.allowed:
        raise Problem(
            429,
            "rate-limited",
            f"This api_key may make {allowance.limit} calls a minute.",
            headers={"Retry-After": str(allowance.reset_seconds)},
        )
    service = service_for(form.get("service_code", ""))
    if service is None:
        code = form.get("service_code", "")[:40]
        raise Problem(404, "unknown-service", f"No service has the code '{code}'.")
    try:
        filed = file_repair(order_from(form, service))
    except booking.SlotUnavailable as error:  # no slot is asked for here; kept for safety
        raise Problem(409, "slot-unavailable", error.message) from error
    except Problem as problem:
        status = 400 if problem.status == 422 else problem.status
        raise Problem(status, problem.kind, problem.detail) from problem
    status_url = request.build_absolute_uri(reverse("repairs:status", args=[filed.report.status_token]))
    notice = " ".join(part for part in (filed.message, f"Follow it at {status_url}") if part)
    created = [{"service_request_id": filed.report.reference, "service_notice": notice, "account_id": None}]
    return formats.render(created, fmt, root="service_requests", item="request")
