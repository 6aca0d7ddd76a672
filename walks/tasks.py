"""Notices about walks that come from the clock (django-q2, every few minutes; see schedule.py).

- An hour before a walk starts, its host and members are reminded (``walk_reminder``).
- Once a walk that others joined has ended, they are asked to write a 후기 (``walk_review``),
  a notification linking to the post form with the walk filled in.

Each notice goes out once: a worker claims a walk with a conditional UPDATE of its
``reminder_sent_at``/``review_prompt_sent_at``, which only one of several workers can win, and
writes the notifications in the same transaction. Notification settings decide who gets a row (and
the e-mail digest sends it to those who chose e-mail); members who blocked the host, or whom the
host blocked, are left out.
"""

from datetime import timedelta
from urllib.parse import quote

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from moderation import guards
from notifications.models import Kind
from notifications.services import notify

from .models import Walk, WalkParticipant, WalkStatus

REMINDER_LEAD = timedelta(hours=1)
# A worker that was down longer than this sends no stale 후기 prompts when it comes back.
REVIEW_WINDOW = timedelta(days=2)


def _live_walks():
    return Walk.objects.not_deleted().exclude(status=WalkStatus.CANCELLED).filter(is_hidden=False)


def _audience(walk: Walk) -> list[int]:
    """The host and the members who joined, less those on either side of a block with the host."""
    members = WalkParticipant.objects.filter(walk=walk, removed_at__isnull=True).values_list(
        "member_id", flat=True
    )
    reachable = guards.not_blocked_ids(member_id=walk.host_id, other_ids=members)
    return [walk.host_id, *sorted(reachable)]


def _notify_once(*, walk_id: int, claim_field: str, kind: str, now) -> int:
    with transaction.atomic():
        claimed = Walk.objects.filter(pk=walk_id, **{f"{claim_field}__isnull": True}).update(
            **{claim_field: now}
        )
        if not claimed:
            return 0
        walk = Walk.objects.select_related("board").get(pk=walk_id)
        url = None
        if kind == Kind.WALK_REVIEW:
            url = reverse("community:post_create") + "?text=" + quote(walk.review_post_text(), safe="/")
        return len(notify(kind=kind, recipients=_audience(walk), target=walk, at=now, url=url))


def send_walk_notices(now=None) -> dict[str, int]:
    """Sends the reminders and 후기 prompts that are due; returns how many notifications of each."""
    now = now or timezone.now()
    starting = _live_walks().filter(
        reminder_sent_at__isnull=True, start_at__gt=now, start_at__lte=now + REMINDER_LEAD
    )
    ended = _live_walks().filter(
        review_prompt_sent_at__isnull=True,
        participant_count__gt=0,
        end_at__lte=now,
        end_at__gt=now - REVIEW_WINDOW,
    )
    sent = {"reminders": 0, "review_prompts": 0}
    for walk_id in starting.values_list("pk", flat=True):
        sent["reminders"] += _notify_once(
            walk_id=walk_id, claim_field="reminder_sent_at", kind=Kind.WALK_REMINDER, now=now
        )
    for walk_id in ended.values_list("pk", flat=True):
        sent["review_prompts"] += _notify_once(
            walk_id=walk_id, claim_field="review_prompt_sent_at", kind=Kind.WALK_REVIEW, now=now
        )
    return sent
