"""The flush that ends every transactional test (TransactionTestCase, `live_server`, the socket
tests), made cheap on PostgreSQL.

Django's flush empties PostgreSQL with one TRUNCATE of every table: each truncated table gets new
files, whatever it holds, which costs a fixed quarter second for our hundred-odd tables. A test
leaves a few rows behind, so deleting them is the same result for a fraction of that: the same
tables emptied in one transaction (foreign keys are checked at its end, as Django creates them
deferrable), sequences left as TRUNCATE leaves them when it is not asked to restart them, and the
post_migrate signal sent as before (README, "Tests": the figures)."""

from django.core.management.commands import flush
from django.core.management.sql import emit_post_migrate_signal
from django.db import connections, transaction


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
        with transaction.atomic(using=database), connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            for table in tables:  # names from the schema, quoted
                cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")  # noqa: S608
        if not options.get("inhibit_post_migrate", False):
            emit_post_migrate_signal(options["verbosity"], options["interactive"], database)
        return None
