from django.apps import AppConfig


class TestFlushConfig(AppConfig):
    """Installed by the test settings only: its `flush` command replaces Django's (management
    commands of installed apps override the built-in ones of the same name)."""

    name = "site_core.tests.flush"
    label = "test_flush"
