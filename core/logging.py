"""Structured logs: every record carries the id of the request it was written for.

``RequestIdMiddleware`` takes the proxy's ``X-Request-ID`` when it is a sane token (or makes
one), keeps it in a context variable for the duration of the request, and echoes it in the
response's ``X-Request-ID`` header. ``RequestIdFilter`` copies it onto every log record, and
``JsonFormatter`` writes one JSON object per line.
"""

import contextvars
import json
import logging
import re
import uuid
from datetime import UTC, datetime

REQUEST_ID_HEADER = "X-Request-ID"
_ACCEPTED_ID = re.compile(r"^[A-Za-z0-9._-]{8,128}$")
_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")


def current_request_id() -> str:
    return _request_id.get()


def _incoming_id(request) -> str:
    given = request.headers.get(REQUEST_ID_HEADER, "")
    return given if _ACCEPTED_ID.match(given) else uuid.uuid4().hex


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = _incoming_id(request)
        request.request_id = request_id
        token = _request_id.set(request_id)
        try:
            _tag_sentry_scope(request_id)
            response = self.get_response(request)
        finally:
            _request_id.reset(token)
        response[REQUEST_ID_HEADER] = request_id
        return response


def _tag_sentry_scope(request_id: str) -> None:
    try:
        import sentry_sdk
    except ImportError:
        return
    sentry_sdk.get_isolation_scope().set_tag("request_id", request_id)


class RequestIdFilter(logging.Filter):
    """Django logs some responses (e.g. the API's 4xx) after the middleware has finished; those
    records carry the request itself."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            request_id = getattr(getattr(record, "request", None), "request_id", None)
            record.request_id = request_id or _request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request id, and any traceback."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", _request_id.get()),
        }
        status_code = getattr(record, "status_code", None)
        if status_code is not None:
            entry["status_code"] = status_code
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)
