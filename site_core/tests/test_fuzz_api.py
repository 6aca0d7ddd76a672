"""Fuzzing: schemathesis sends generated requests to every operation in the OpenAPI schema (as
built when the tests are collected, so new endpoints are covered) as a signed-in member. No
answer may be a server error or contradict the schema. ``FUZZ_EXAMPLES`` bounds the examples
per operation.

Examples are derandomized, so a run repeats the last one's requests.
"""

import contextlib
import functools
import io
import json
import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, given, settings
from rest_framework_simplejwt.tokens import RefreshToken
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from community.tests.factories import PostFactory

pytestmark = [pytest.mark.fuzz, pytest.mark.django_db]

MAX_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "8"))
HTTP_METHODS = {"get", "post", "put", "patch", "delete"}


@functools.cache
def schema_document() -> dict:
    """The document /api/schema/ serves (drf-spectacular's warnings about other apps kept quiet)."""
    with contextlib.redirect_stderr(io.StringIO()):
        schema = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(schema))


@functools.cache
def api_schema():
    schema = schemathesis.openapi.from_dict(schema_document())
    schema.app = get_wsgi_application()
    return schema


def operation_keys() -> list[str]:
    return [
        f"{method.upper()} {path}"
        for path, item in schema_document()["paths"].items()
        for method in item
        if method in HTTP_METHODS
    ]


def pytest_generate_tests(metafunc):
    if "operation_key" in metafunc.fixturenames:
        metafunc.parametrize("operation_key", operation_keys())


@pytest.fixture
def _connection_kept_open():
    """As Django's test client does: the handler must not close the test's connection (and with it
    the test's transaction) when a request finishes."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def member_token(member, other_member, _connection_kept_open):
    PostFactory(author=member, text="퍼징 전에 쓴 글 #산책")
    PostFactory(author=other_member, text="다른 회원의 글")
    return str(RefreshToken.for_user(member).access_token)


def test_the_schema_lists_the_api():
    assert len(operation_keys()) > 20


def test_no_generated_request_gets_a_server_error_or_breaks_the_schema(operation_key, member_token):
    method, path = operation_key.split(" ", 1)
    operation = api_schema()[path][method]

    @given(case=operation.as_strategy())
    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    def fuzz(case):
        case.call_and_validate(
            headers={"Authorization": f"Bearer {member_token}"},
            checks=[not_a_server_error, response_schema_conformance],
        )

    fuzz()
