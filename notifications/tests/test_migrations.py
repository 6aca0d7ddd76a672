"""Notification moved from community (notifications migration 0007): every row keeps its id,
target, text, link and read state, both ways.

The rows are made the way the apps make them today, the migrations are run backwards to
community's foreign keys and forwards again inside the test's transaction (PostgreSQL changes
its schema transactionally; the transaction is rolled back)."""

from urllib.parse import quote

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone

from community import services as community_services
from community.tests.factories import PostFactory
from notifications.models import Kind, Notification
from notifications.services import notify
from walks import services as walk_services
from walks.tests.factories import WalkFactory, board
from worldcup.tests.factories import enter, make_event

BEFORE = [("notifications", "0006_push_subscriptions"), ("community", "0010_post_draft")]
FIELDS = [
    "pk",
    "recipient_id",
    "actor_id",
    "kind",
    "target_type_id",
    "target_id",
    "target_text",
    "target_url",
    "details",
    "actor_count",
    "created_at",
    "updated_at",
    "read_at",
]


def rows() -> list[dict]:
    return list(Notification.objects.order_by("pk").values(*FIELDS))


@pytest.mark.django_db
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite cannot change its schema in a transaction"
)
def test_every_notification_keeps_its_target_text_link_and_read_state(member, other_member):
    post = PostFactory(author=member)
    comment = community_services.comment_create(post_id=post.pk, author=other_member, text="귀여워요")
    community_services.like_add(post_id=post.pk, member=other_member)
    community_services.follow_add(follower=other_member, following=member)
    walk = WalkFactory(host=member, board=board())
    walk_services.walk_join(walk_id=walk.pk, member=other_member)
    review = reverse("community:post_create") + "?text=" + quote(walk.review_post_text(), safe="/")
    notify(kind=Kind.WALK_REVIEW, recipients=[other_member], target=walk, url=review)
    event = make_event(title="12월 강아지 월드컵")
    entry = enter(event, member=member)
    notify(
        kind=Kind.WORLDCUP_RESULT,
        recipients=[member],
        target=entry,
        details={"pet": entry.pet_name, "rank": 1},
    )
    notify(
        kind=Kind.WORLDCUP_OPEN,
        recipients=[other_member],
        target=event,
        details={"opens": event.entry_opens_at.isoformat()},
    )
    Notification.objects.create(recipient=member, kind=Kind.NAME_RESET, details={"field": "nickname"})
    Notification.objects.filter(kind__in=[Kind.LIKE, Kind.WALK_REVIEW]).update(read_at=timezone.now())
    before = rows()
    assert len(before) == 8
    # Rows written in this transaction hold deferred key checks, which would block ALTER TABLE.
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")

    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps.get_model("community", "Notification")
    keys = {
        note.kind: (
            note.post_id,
            note.comment_id,
            note.walk_id,
            note.worldcup_event_id,
            note.worldcup_entry_id,
        )
        for note in old.objects.all()
    }
    assert keys == {
        "comment": (post.pk, comment.pk, None, None, None),
        "like": (post.pk, None, None, None, None),
        "follow": (None, None, None, None, None),
        "walk_join": (None, None, walk.pk, None, None),
        "walk_review": (None, None, walk.pk, None, None),
        "worldcup_result": (None, None, None, event.pk, entry.pk),
        "worldcup_open": (None, None, None, event.pk, None),
        "name_reset": (None, None, None, None, None),
    }
    assert old.objects.filter(read_at__isnull=False).count() == 2

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert rows() == before
    client_rows = {note.kind: note for note in Notification.objects.all()}
    assert client_rows["walk_join"].target_url == walk.get_absolute_url()
    assert client_rows["worldcup_open"].target_url == event.url
    assert client_rows["follow"].target == other_member
