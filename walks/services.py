"""Writes to walks. Each function is one transaction; side effects (chat rooms) run on commit.

Who is told what (community notifications):
- join and leave: the host and the walk's other members;
- removal by the host: the removed member;
- cancellation (or deletion of a walk that had members): every member.
"""

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from core.actions import AllowedWhileSuspended, member_action
from moderation import guards
from notifications.models import Kind
from notifications.services import notification_target_text_update, notify
from pets import selectors as pets_selectors

from . import chat_bridge
from .models import (
    AREA_MAX_LENGTH,
    DESCRIPTION_HTML_MAX_LENGTH,
    DESCRIPTION_TEXT_MAX_LENGTH,
    MAX_CAPACITY,
    MAX_DURATION,
    MIN_CAPACITY,
    PLACE_MAX_LENGTH,
    SEOUL,
    TITLE_MAX_LENGTH,
    ClosedReason,
    DogSize,
    HostGender,
    PreferredGender,
    Walk,
    WalkBoardPage,
    WalkParticipant,
    WalkStatus,
)
from .rich_text import clean_html, html_to_text

MAX_PETS_PER_WALK = 10


@dataclass(frozen=True)
class WalkInput:
    """Everything a host writes about a walk (times are aware, or Seoul time when naive)."""

    title: str
    description_html: str
    start_at: datetime
    end_at: datetime
    meeting_place: str
    area: str
    dog_sizes: tuple[str, ...]
    host_gender: str
    preferred_gender: str
    capacity: int
    pet_ids: tuple[int, ...] = ()
    # The meeting point picked on the map (WGS84 degrees), both or neither.
    latitude: float | None = None
    longitude: float | None = None


def walk_input_from(walk: Walk) -> WalkInput:
    """A walk's current values, to change a few of them (``dataclasses.replace``)."""
    return WalkInput(
        title=walk.title,
        description_html=walk.description_html,
        start_at=walk.start_at,
        end_at=walk.end_at,
        meeting_place=walk.meeting_place,
        area=walk.area,
        dog_sizes=tuple(walk.dog_sizes),
        host_gender=walk.host_gender,
        preferred_gender=walk.preferred_gender,
        capacity=walk.capacity,
        pet_ids=tuple(walk.pets.not_deleted().values_list("pk", flat=True)),
        latitude=walk.latitude,
        longitude=walk.longitude,
    )


def refused_message(reason: str) -> str:
    return {
        ClosedReason.CANCELLED: _("This walk was cancelled."),
        ClosedReason.CLOSED: _("The host has closed this walk."),
        ClosedReason.STARTED: _("This walk has already started."),
        ClosedReason.FULL: _("This walk is full."),
    }[ClosedReason(reason)]


# --------------------------------------------------------------------------- validation


def _one_line(value: str) -> str:
    return " ".join((value or "").split())


def _aware(moment: datetime) -> datetime:
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment, SEOUL)


def _checked(data: WalkInput, *, host, headcount: int = 1, now: datetime) -> dict:
    """The walk's field values, or a ValidationError naming every problem by field."""
    errors: dict[str, list[str]] = {}
    values: dict = {}

    def check(field: str, ok: bool, message: str) -> None:
        if not ok:
            errors.setdefault(field, []).append(message)

    values["title"] = _one_line(data.title)
    check("title", bool(values["title"]), _("Give the walk a title."))
    check(
        "title",
        len(values["title"]) <= TITLE_MAX_LENGTH,
        _("Keep the title under %(max)d characters.") % {"max": TITLE_MAX_LENGTH},
    )

    values["description_html"] = clean_html(data.description_html)
    text_length = len(html_to_text(values["description_html"]))
    check("description_html", text_length > 0, _("Describe the walk."))
    check(
        "description_html",
        text_length <= DESCRIPTION_TEXT_MAX_LENGTH
        and len(values["description_html"]) <= DESCRIPTION_HTML_MAX_LENGTH,
        _("Keep the description under %(max)d characters (now %(now)d).")
        % {"max": DESCRIPTION_TEXT_MAX_LENGTH, "now": text_length},
    )

    values["start_at"], values["end_at"] = _aware(data.start_at), _aware(data.end_at)
    check("start_at", values["start_at"] > now, _("Choose a start time in the future."))
    check("end_at", values["end_at"] > values["start_at"], _("The walk must end after it starts."))
    check(
        "end_at",
        values["end_at"] - values["start_at"] <= MAX_DURATION,
        _("A walk can last at most %(hours)d hours.") % {"hours": MAX_DURATION.seconds // 3600},
    )

    values["meeting_place"] = _one_line(data.meeting_place)
    check("meeting_place", bool(values["meeting_place"]), _("Say where to meet."))
    check(
        "meeting_place",
        len(values["meeting_place"]) <= PLACE_MAX_LENGTH,
        _("Keep it under %(max)d characters.") % {"max": PLACE_MAX_LENGTH},
    )
    values["area"] = _one_line(data.area)
    check("area", bool(values["area"]), _("Name the neighbourhood everyone may see."))
    check(
        "area",
        len(values["area"]) <= AREA_MAX_LENGTH,
        _("Keep it under %(max)d characters.") % {"max": AREA_MAX_LENGTH},
    )

    _check_point(data, check, values)

    sizes = set(data.dog_sizes)
    check("dog_sizes", bool(sizes), _("Choose at least one dog size."))
    check("dog_sizes", sizes <= set(DogSize.values), _("Choose sizes from the list."))
    for size in DogSize.values:
        values[f"welcomes_{size}"] = size in sizes

    check("host_gender", data.host_gender in HostGender.values, _("Choose from the list."))
    check("preferred_gender", data.preferred_gender in PreferredGender.values, _("Choose from the list."))
    values["host_gender"], values["preferred_gender"] = data.host_gender, data.preferred_gender

    capacity_ok = isinstance(data.capacity, int) and MIN_CAPACITY <= data.capacity <= MAX_CAPACITY
    check(
        "capacity",
        capacity_ok,
        _("Choose between %(min)d and %(max)d people, you included.")
        % {"min": MIN_CAPACITY, "max": MAX_CAPACITY},
    )
    check(
        "capacity",
        not capacity_ok or data.capacity >= headcount,
        _("%(count)d people have already joined, you included.") % {"count": headcount},
    )
    values["capacity"] = data.capacity

    wanted = set(data.pet_ids)
    pets = list(pets_selectors.owned_pets(owner=host).filter(pk__in=wanted)) if wanted else []
    check("pets", len(pets) == len(wanted), _("You can only bring your own pets."))
    check(
        "pets",
        len(wanted) <= MAX_PETS_PER_WALK,
        _("Bring at most %(max)d pets.") % {"max": MAX_PETS_PER_WALK},
    )
    if errors:
        raise ValidationError(errors)
    values["pets"] = pets
    return values


def _check_point(data: WalkInput, check, values: dict) -> None:
    latitude, longitude = data.latitude, data.longitude
    check(
        "latitude",
        (latitude is None) == (longitude is None),
        _("Give both the latitude and the longitude, or neither."),
    )
    in_range = latitude is None or (
        isinstance(latitude, int | float) and math.isfinite(latitude) and -90 <= latitude <= 90
    )
    check("latitude", in_range, _("A latitude is between -90 and 90."))
    in_range = longitude is None or (
        isinstance(longitude, int | float) and math.isfinite(longitude) and -180 <= longitude <= 180
    )
    check("longitude", in_range, _("A longitude is between -180 and 180."))
    values["latitude"] = None if latitude is None else round(float(latitude), 6)
    values["longitude"] = None if longitude is None else round(float(longitude), 6)


# --------------------------------------------------------------------------- notifications


def _notify(*, walk: Walk, actor, kind: str, recipient_ids: Iterable[int]) -> None:
    """Notifies the members who keep walk notifications on (notification settings)."""
    notify(kind=kind, recipients=[pk for pk in recipient_ids if pk != actor.pk], actor=actor, target=walk)


def _member_ids(walk: Walk) -> list[int]:
    return list(
        WalkParticipant.objects.filter(walk=walk, removed_at__isnull=True)
        .order_by("joined_at", "id")
        .values_list("member_id", flat=True)
    )


# --------------------------------------------------------------------------- host's writes


@member_action("host")
@transaction.atomic
def walk_create(*, host, board_id: int, data: WalkInput) -> Walk:
    board = WalkBoardPage.objects.live().filter(pk=board_id).first()
    if board is None:
        raise ValidationError({"board": _("Choose a board.")})
    if not board.is_open:
        raise ValidationError({"board": _("This board is closed for new walks.")})
    values = _checked(data, host=host, now=timezone.now())
    pets = values.pop("pets")
    walk = Walk.objects.create(board=board, host=host, **values)
    if pets:
        walk.pets.set(pets)
    chat_bridge.sync_walk_room(walk_id=walk.pk)
    return walk


def _own_walk_for_update(*, walk_id: int, member) -> Walk:
    """The walk, locked; DoesNotExist if gone, PermissionDenied unless the member hosts it."""
    walk = Walk.objects.select_for_update().not_deleted().filter(pk=walk_id).first()
    if walk is None:
        raise Walk.DoesNotExist
    if walk.host_id != member.pk:
        raise PermissionDenied(_("Only the host can change this walk."))
    return walk


@member_action("member")
@transaction.atomic
def walk_update(*, walk_id: int, member, data: WalkInput) -> Walk:
    walk = _own_walk_for_update(walk_id=walk_id, member=member)
    if walk.status == WalkStatus.CANCELLED:
        raise ValidationError(_("A cancelled walk cannot be changed."))
    if walk.has_started:
        raise ValidationError(_("This walk has already started."))
    values = _checked(data, host=member, headcount=walk.headcount, now=timezone.now())
    pets = values.pop("pets")
    if values["start_at"] != walk.start_at:
        values["reminder_sent_at"] = None  # members are reminded of the new time
    for field, value in values.items():
        setattr(walk, field, value)
    walk.edited_at = timezone.now()
    walk.save(update_fields=[*values, "edited_at"])
    walk.pets.set(pets)
    notification_target_text_update(target=walk)
    return walk


@member_action("member")
@transaction.atomic
def walk_delete(*, walk_id: int, member) -> None:
    """Soft delete; members of a walk still to come are told it is cancelled."""
    _delete(walk_id=walk_id, member=member)


@member_action("member", allowed_while_suspended=AllowedWhileSuspended.LEAVE)
@transaction.atomic
def walk_delete_on_leaving(*, walk_id: int, member) -> None:
    """``walk_delete`` for a member leaving the site (privacy erasure), suspended or not."""
    _delete(walk_id=walk_id, member=member)


def _delete(*, walk_id: int, member) -> None:
    walk = _own_walk_for_update(walk_id=walk_id, member=member)
    if walk.status != WalkStatus.CANCELLED and not walk.has_started:
        _notify(walk=walk, actor=member, kind=Kind.WALK_CANCELLED, recipient_ids=_member_ids(walk))
    walk.deleted_at = timezone.now()
    walk.save(update_fields=["deleted_at"])
    chat_bridge.close_walk_room(walk_id=walk.pk)


@member_action("member")
@transaction.atomic
def walk_cancel(*, walk_id: int, member) -> Walk:
    walk = _own_walk_for_update(walk_id=walk_id, member=member)
    if walk.status == WalkStatus.CANCELLED:
        return walk
    if walk.has_started:
        raise ValidationError(_("This walk has already started."))
    walk.status = WalkStatus.CANCELLED
    walk.save(update_fields=["status"])
    _notify(walk=walk, actor=member, kind=Kind.WALK_CANCELLED, recipient_ids=_member_ids(walk))
    chat_bridge.close_walk_room(walk_id=walk.pk)
    return walk


@member_action("member")
@transaction.atomic
def walk_close(*, walk_id: int, member) -> Walk:
    """The host stops taking members; those who joined stay."""
    walk = _own_walk_for_update(walk_id=walk_id, member=member)
    if walk.status == WalkStatus.CANCELLED:
        raise ValidationError(_("This walk was cancelled."))
    if walk.status == WalkStatus.OPEN:
        walk.status = WalkStatus.CLOSED
        walk.save(update_fields=["status"])
    return walk


@member_action("member")
@transaction.atomic
def walk_reopen(*, walk_id: int, member) -> Walk:
    walk = _own_walk_for_update(walk_id=walk_id, member=member)
    if walk.status == WalkStatus.CANCELLED:
        raise ValidationError(_("This walk was cancelled."))
    if walk.has_started:
        raise ValidationError(_("This walk has already started."))
    if walk.status == WalkStatus.CLOSED:
        walk.status = WalkStatus.OPEN
        walk.save(update_fields=["status"])
    return walk


@member_action("host")
@transaction.atomic
def walk_remove_participant(*, walk_id: int, host, member_id: int) -> Walk:
    """The host removes a member, who cannot join this walk again."""
    walk = _own_walk_for_update(walk_id=walk_id, member=host)
    participation = WalkParticipant.objects.filter(
        walk=walk, member_id=member_id, removed_at__isnull=True
    ).first()
    if participation is None:
        raise WalkParticipant.DoesNotExist
    participation.removed_at = timezone.now()
    participation.save(update_fields=["removed_at"])
    Walk.objects.filter(pk=walk.pk).update(participant_count=F("participant_count") - 1)
    _notify(walk=walk, actor=host, kind=Kind.WALK_REMOVED, recipient_ids=[member_id])
    chat_bridge.sync_walk_room(walk_id=walk.pk)
    walk.refresh_from_db()
    return walk


# --------------------------------------------------------------------------- members' writes


def _walk_for_update(*, walk_id: int) -> Walk:
    """The walk row, locked until the transaction ends: concurrent joins queue up here."""
    walk = Walk.objects.select_for_update().not_deleted().filter(pk=walk_id).first()
    if walk is None:
        raise Walk.DoesNotExist
    return walk


@member_action("member")
@transaction.atomic
def walk_join(*, walk_id: int, member) -> Walk:
    """Joins the member, or refuses with a message. Joining twice changes nothing.

    The walk row stays locked (SELECT ... FOR UPDATE) from the capacity check to the count's
    update, so parallel joins are checked one after another and never pass the capacity.
    """
    walk = _walk_for_update(walk_id=walk_id)
    if walk.is_hidden:
        raise Walk.DoesNotExist
    if walk.host_id == member.pk:
        raise ValidationError(_("You are hosting this walk."))
    guards.check_not_blocked(member_id=member.pk, other_id=walk.host_id)
    existing = WalkParticipant.objects.filter(walk=walk, member=member).first()
    if existing is not None and existing.removed_at is None:
        return walk
    if existing is not None:
        raise ValidationError(_("The host removed you from this walk, so you cannot join it again."))
    reason = walk.closed_reason()
    if reason is not None:
        raise ValidationError(refused_message(reason))
    others = [walk.host_id, *_member_ids(walk)]
    WalkParticipant.objects.create(walk=walk, member=member)
    Walk.objects.filter(pk=walk.pk).update(participant_count=F("participant_count") + 1)
    _notify(walk=walk, actor=member, kind=Kind.WALK_JOIN, recipient_ids=others)
    chat_bridge.sync_walk_room(walk_id=walk.pk)
    walk.refresh_from_db()
    return walk


@member_action("member", allowed_while_suspended=AllowedWhileSuspended.LEAVE)
@transaction.atomic
def walk_leave(*, walk_id: int, member) -> Walk:
    walk = _walk_for_update(walk_id=walk_id)
    participation = WalkParticipant.objects.filter(walk=walk, member=member, removed_at__isnull=True).first()
    if participation is None:
        raise ValidationError(_("You have not joined this walk."))
    if walk.status == WalkStatus.CANCELLED:
        raise ValidationError(_("This walk was cancelled."))
    if walk.has_started:
        raise ValidationError(_("This walk has already started."))
    participation.delete()
    Walk.objects.filter(pk=walk.pk).update(participant_count=F("participant_count") - 1)
    _notify(
        walk=walk,
        actor=member,
        kind=Kind.WALK_LEAVE,
        recipient_ids=[walk.host_id, *_member_ids(walk)],
    )
    chat_bridge.sync_walk_room(walk_id=walk.pk)
    walk.refresh_from_db()
    return walk
