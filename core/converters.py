"""URL converters. `<id:pk>` is `<id:pk>` bounded to what a database id can hold.

Django's `int` converter accepts any number of digits, so a URL with a 30-digit id reaches the
database and fails there (PostgreSQL: "out of range for type bigint", a 500). A row id has at
most 18 digits here (`BigAutoField` stops at 9,223,372,036,854,775,807, 19 digits), so longer
ones are not a match: the URL answers 404 like any other unknown id.
"""

from django.urls import register_converter
from django.urls.converters import IntConverter


class DatabaseIdConverter(IntConverter):
    regex = "[0-9]{1,18}"


register_converter(DatabaseIdConverter, "id")
