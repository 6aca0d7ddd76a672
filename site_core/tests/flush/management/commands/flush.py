"""The flush that ends every transactional test (TransactionTestCase, `live_server`, the socket
tests), made cheap and exact on PostgreSQL.

Django's flush empties PostgreSQL with one TRUNCATE of every table (each truncated table gets new
files, whatever it holds) and then sends post_migrate, whose receivers re-create content types,
permissions and roles one query at a time; the migrations' own content (the Wagtail tree, its Site)
is gone. Here the same tables are emptied with DELETE in one transaction (a test leaves a few rows;
foreign keys are checked at its end, as Django creates them deferrable) and the rows the database
held when it was set up are copied back from its snapshot (``site_core.tests.flush.snapshot``),
so there is nothing left for post_migrate to do. Sequences stay as TRUNCATE leaves them when it is
not asked to restart them. Without a snapshot (a database set up some other way), the post_migrate
signal is sent as Django's flush sends it (README, "Tests": the figures)."""

from django.contrib.contenttypes.models import ContentType
from django.core.management.commands import flush
from django.core.management.sql import emit_post_migrate_signal
from django.db import connections, transaction

from site_core.tests.flush import snapshot


class Command(flush.Command):
    def handle(self, **options):
        database = options["database"]
        connection = connections[database]
        if (
            connection.vendor != "postgresql"
            or options["interactive"]
            or options.get("reset_sequences", True)
        ):
            return super().handle(**options)
        tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
        with transaction.atomic(using=database):
            script = snapshot.restore_sql(connection, tables)
            with connection.cursor() as cursor:
                if script is not None:
                    cursor.execute(script)
                else:
                    cursor.execute("SET CONSTRAINTS ALL DEFERRED")
                    for table in tables:  # names from the schema, quoted
                        cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")  # noqa: S608
        # Content types are cached by id: a test may have made new ones that are now gone.
        ContentType.objects.clear_cache()
        if script is None and not options.get("inhibit_post_migrate", False):
            emit_post_migrate_signal(options["verbosity"], options["interactive"], database)
        return None
