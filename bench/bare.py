"""The bare stack, the benchmarks' reference: Django's hello world and nothing else.

One sync view returning a short text, no middleware, no apps, no database, no templates, served
as WSGI (``bench.bare:application``, the reference: gunicorn with two sync workers) or ASGI
(``bench.bare:asgi_application``). bench/feed.py measures the site's pages against it in the same
run, so that the ratio says what share of what Django itself can serve on this machine the site
keeps, whatever else the machine is doing.
"""

from django.conf import settings

from bench.common import BARE_BODY

settings.configure(
    DEBUG=False,
    SECRET_KEY="bench-bare-reference-not-secret",  # noqa: S106 - nothing is signed
    ALLOWED_HOSTS=["127.0.0.1", "localhost"],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=[],
    INSTALLED_APPS=[],
    DATABASES={},
    USE_I18N=False,
    LOGGING_CONFIG=None,
)

from django.core.asgi import get_asgi_application  # noqa: E402 - settings first
from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.urls import path  # noqa: E402


def hello(request):
    return HttpResponse(BARE_BODY, content_type="text/plain; charset=utf-8")


urlpatterns = [path("", hello)]

application = get_wsgi_application()
asgi_application = get_asgi_application()
