import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_core.settings.production")

application = get_wsgi_application()

from search.apps import warm_up  # noqa: E402

warm_up()  # the Korean analyzer, before the first request
