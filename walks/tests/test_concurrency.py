"""Members joining the same walk at the same moment never push it past its capacity."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from accounts.tests.factories import UserFactory
from site_core.tests.browser import ensure_home_page
from walks import services
from walks.demo import ensure_walk_pages
from walks.models import Walk, WalkParticipant
from walks.tests.factories import WalkFactory

JOINERS = 12
CAPACITY = 4  # the host and three members


def join_all_at_once(walk_id: int, members) -> tuple[list, list]:
    """Every member joins in their own thread and database connection, released together."""
    start = threading.Barrier(len(members))
    joined, refused, failed = [], [], []

    def join(member) -> None:
        try:
            start.wait()
            services.walk_join(walk_id=walk_id, member=member)
            joined.append(member.pk)
        except ValidationError as error:
            refused.append(error.messages)
        except Exception as error:  # anything else fails the test below
            failed.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=join, args=(member,)) for member in members]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not failed, failed
    return joined, refused


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite has no row locks (select_for_update is a no-op) and runs one writer at a time; "
    "this race needs PostgreSQL (DATABASE_URL=postgres://…)",
)
@pytest.mark.django_db(transaction=True)
def test_parallel_joins_never_exceed_capacity():
    # A transactional test may start from a flushed database: put the pages back if needed.
    ensure_home_page()
    boards = ensure_walk_pages()
    host = UserFactory()
    walk = WalkFactory(host=host, board=boards["seoul-gangnam"], capacity=CAPACITY)
    members = UserFactory.create_batch(JOINERS)

    joined, refused = join_all_at_once(walk.pk, members)

    walk.refresh_from_db()
    assert len(joined) == CAPACITY - 1
    assert len(refused) == JOINERS - (CAPACITY - 1)
    assert all(messages == [services.refused_message("full")] for messages in refused)
    assert walk.participant_count == CAPACITY - 1
    assert WalkParticipant.objects.filter(walk=walk, removed_at__isnull=True).count() == CAPACITY - 1
    assert walk.closed_reason() == "full"
    assert not Walk.objects.open().filter(pk=walk.pk).exists()
