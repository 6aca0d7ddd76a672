from django.core.exceptions import ObjectDoesNotExist
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler

from .ratelimit import RateLimited


def exception_handler(exc, context):
    """Services speak Django (ValidationError, DoesNotExist); the API answers 400 and 404.
    A rate limit (core.ratelimit) answers 429 with Retry-After. A refusal that names its
    ``code`` (a suspension or a block, ``moderation.guards``) answers 403 with that code."""
    if isinstance(exc, DjangoPermissionDenied) and getattr(exc, "code", None):
        response = drf_exception_handler(exceptions.PermissionDenied(str(exc), code=exc.code), context)
        response.data["code"] = exc.code
        return response
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        exc = exceptions.ValidationError(detail)
    elif isinstance(exc, ObjectDoesNotExist):
        exc = exceptions.NotFound()
    elif isinstance(exc, RateLimited):
        exc = exceptions.Throttled(wait=exc.retry_after)
    return drf_exception_handler(exc, context)
