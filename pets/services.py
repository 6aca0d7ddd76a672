"""Writes to pets. Each function is one transaction; the photo check is queued on commit.

A new or replaced photo is checked, re-encoded and stored here (``core.images``), then the
check is queued for the ``ml`` django-q2 cluster once the transaction commits: the request never
waits for the model. A refused upload stores nothing and queues nothing.
"""

from __future__ import annotations

import logging
from datetime import date
from functools import partial
from typing import Any
from uuid import UUID, uuid4

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django_q.tasks import async_task

from core import selectors as core_selectors
from core import services as core_services
from core.images import RenderedPhoto, render_photo
from core.models import TemporaryUpload
from core.text import normalize_text
from moderation.guards import member_action

from .models import (
    INTRO_MAX_LENGTH,
    MAX_AGE_YEARS,
    MAX_PETS_PER_MEMBER,
    PET_NAME_MAX_LENGTH,
    Pet,
    PhotoStatus,
    Sex,
    Size,
    Species,
    Verdict,
    birth_date_from_age,
)

logger = logging.getLogger(__name__)
User = get_user_model()

ML_CLUSTER = "ml"
"""The django-q2 cluster (and queue) of the classifier: ``Q_CLUSTER_NAME=ml manage.py qcluster``."""
PHOTO_CHECK_TASK = "pets.tasks.check_pet_photo"


class _Unset:
    def __repr__(self) -> str:
        return "UNSET"

    def __bool__(self) -> bool:
        return False


UNSET: Any = _Unset()
"""Default of pet_update's fields: leave this one as it is."""


# --------------------------------------------------------------------------- the photo check


def queue_photo_check(*, pet_id: int, photo_version: int) -> str:
    """Puts the check of one stored photo on the ml cluster's queue (a row in django-q2's table)."""
    return async_task(PHOTO_CHECK_TASK, pet_id, photo_version, cluster=ML_CLUSTER, group="pet-photo-check")


def ml_max_attempts() -> int:
    """How many times the ml cluster runs a failing check (its ``max_attempts``)."""
    q_cluster = settings.Q_CLUSTER
    ml = (q_cluster.get("ALT_CLUSTERS") or {}).get(ML_CLUSTER) or {}
    return int(ml.get("max_attempts", q_cluster.get("max_attempts", 1)) or 1)


def photo_check_start(*, pet_id: int, photo_version: int) -> Pet | None:
    """Counts one attempt at checking this photo; None when it was replaced, removed or deleted."""
    started = (
        Pet.objects.not_deleted()
        .filter(pk=pet_id, photo_version=photo_version)
        .exclude(photo_full="")
        .update(verdict_attempts=F("verdict_attempts") + 1)
    )
    return Pet.objects.get(pk=pet_id) if started else None


def photo_check_record(
    *, pet_id: int, photo_version: int, status: str, verdict: str = "", confidence: float | None = None
) -> bool:
    """Stores the outcome for this photo only (never the owner's species). False if it is stale."""
    if status not in PhotoStatus.values or (verdict and verdict not in Verdict.values):
        raise ValueError(f"unknown photo check outcome {status!r} / {verdict!r}")
    if confidence is not None:
        confidence = min(1.0, max(0.0, float(confidence)))
    updated = Pet.objects.filter(pk=pet_id, photo_version=photo_version).update(
        photo_status=status,
        verdict=verdict,
        verdict_confidence=confidence,
        verdict_at=timezone.now(),
    )
    return bool(updated)


# --------------------------------------------------------------------------- pets


def _clean_name(name: str) -> str:
    cleaned = " ".join(normalize_text(name or "").split())
    if not cleaned:
        raise ValidationError({"name": _("Give your pet a name.")})
    if len(cleaned) > PET_NAME_MAX_LENGTH:
        raise ValidationError(
            {"name": _("Keep the name under %(max)d characters.") % {"max": PET_NAME_MAX_LENGTH}}
        )
    return cleaned


def _clean_choice(value: str, choices, field: str, *, allow_blank: bool = False) -> str:
    if (value == "" and allow_blank) or value in choices.values:
        return value
    raise ValidationError({field: _("Choose one of the options.")})


def _clean_intro(intro: str) -> str:
    cleaned = normalize_text(intro or "")
    if len(cleaned) > INTRO_MAX_LENGTH:
        raise ValidationError(
            {
                "intro": _("Keep it under %(max)d characters (now %(now)d).")
                % {"max": INTRO_MAX_LENGTH, "now": len(cleaned)}
            }
        )
    return cleaned


def _clean_breed(breed: str) -> str:
    cleaned = " ".join(normalize_text(breed or "").split())
    if len(cleaned) > 50:
        raise ValidationError({"breed": _("Keep the breed under 50 characters.")})
    return cleaned


def _resolve_birth(*, birth_date: date | None, age_years: int | None) -> tuple[date | None, bool]:
    """(birth date, is it an estimate): an exact date, or one estimated from an age in years."""
    if birth_date is not None and age_years is not None:
        raise ValidationError({"age_years": _("Give a birth date or an approximate age, not both.")})
    today = timezone.localdate()
    if age_years is not None:
        if not 0 <= age_years <= MAX_AGE_YEARS:
            raise ValidationError(
                {"age_years": _("Give an age between 0 and %(max)d years.") % {"max": MAX_AGE_YEARS}}
            )
        return birth_date_from_age(age_years, today=today), True
    if birth_date is not None:
        if birth_date > today:
            raise ValidationError({"birth_date": _("The birth date cannot be in the future.")})
        if birth_date < birth_date_from_age(MAX_AGE_YEARS, today=today):
            raise ValidationError(
                {"birth_date": _("Give a birth date within the last %(max)d years.") % {"max": MAX_AGE_YEARS}}
            )
    return birth_date, False


def _render(photo) -> RenderedPhoto:
    """Checks and re-encodes an upload; a refused one raises before anything is written."""
    try:
        return render_photo(photo, basename=f"pet-{uuid4().hex[:12]}")
    except ValidationError as error:
        raise ValidationError({"photo": error.messages}) from error


def _photo_source(*, owner, photo, upload_key: UUID | None) -> RenderedPhoto | TemporaryUpload | None:
    """The new photo: a file sent with the form or API call (checked and re-encoded here), else the
    owner's temporary upload with ``upload_key`` (already checked and re-encoded when it was chosen,
    in the same sizes), else None."""
    if photo is not None:
        return _render(photo)
    if upload_key is None:
        return None
    upload = core_selectors.owned_uploads(owner=owner, keys=[upload_key], lock=True).get(upload_key)
    if upload is None:
        raise ValidationError(
            {"photo": _("This photo was kept for 24 hours and is gone now. Choose it again.")}
        )
    return upload


def _delete_files(names: list[str]) -> None:
    for name in names:
        try:
            default_storage.delete(name)
        except OSError:
            logger.warning("Could not delete the replaced pet photo %s", name, exc_info=True)


def _stored_photo_names(pet: Pet) -> list[str]:
    return [f.name for f in (pet.photo_full, pet.photo_display, pet.photo_thumb) if f]


def _set_photo(pet: Pet, rendered: RenderedPhoto | TemporaryUpload | None) -> None:
    """Stores a new photo (or none) as the next version; the check of the new one is queued on commit.
    A temporary upload hands its files over."""
    old_names = _stored_photo_names(pet)
    pet.photo_version += 1
    pet.verdict = ""
    pet.verdict_confidence = None
    pet.verdict_at = None
    pet.verdict_attempts = 0
    if rendered is None:
        pet.photo_full = pet.photo_display = pet.photo_thumb = ""
        pet.photo_width = pet.photo_height = 0
        pet.photo_status = ""
    elif isinstance(rendered, TemporaryUpload):
        pet.photo_full, pet.photo_display, pet.photo_thumb = (file.name for file in rendered.files)
        pet.photo_width, pet.photo_height = rendered.width, rendered.height
        pet.photo_status = PhotoStatus.PENDING
        core_services.temporary_uploads_take_over(uploads=[rendered])
    else:
        for variant in ("full", "display", "thumb"):
            file = rendered.files[variant]
            getattr(pet, f"photo_{variant}").save(file.name, file, save=False)
        pet.photo_status = PhotoStatus.PENDING
    pet.save()
    if rendered is not None:
        transaction.on_commit(partial(queue_photo_check, pet_id=pet.pk, photo_version=pet.photo_version))
    if old_names:
        transaction.on_commit(partial(_delete_files, old_names))


@member_action("owner")
@transaction.atomic
def pet_create(
    *,
    owner,
    name: str,
    species: str,
    breed: str = "",
    sex: str = Sex.UNKNOWN,
    neutered: bool = False,
    birth_date: date | None = None,
    age_years: int | None = None,
    size: str = "",
    intro: str = "",
    photo=None,
    upload_key: UUID | None = None,
) -> Pet:
    """A new pet for ``owner``; a photo (a file, or the key of the owner's temporary upload) is
    stored re-encoded and its check queued on commit."""
    User.objects.select_for_update().filter(pk=owner.pk).first()  # one pet count at a time
    if Pet.objects.not_deleted().filter(owner=owner).count() >= MAX_PETS_PER_MEMBER:
        raise ValidationError(_("You can add up to %(max)d pets.") % {"max": MAX_PETS_PER_MEMBER})
    born, estimated = _resolve_birth(birth_date=birth_date, age_years=age_years)
    pet = Pet(
        owner=owner,
        name=_clean_name(name),
        species=_clean_choice(species, Species, "species"),
        breed=_clean_breed(breed),
        sex=_clean_choice(sex, Sex, "sex"),
        neutered=bool(neutered),
        birth_date=born,
        birth_date_is_estimate=estimated,
        size=_clean_choice(size, Size, "size", allow_blank=True),
        intro=_clean_intro(intro),
    )
    rendered = _photo_source(owner=owner, photo=photo, upload_key=upload_key)
    pet.save()
    if rendered is not None:
        _set_photo(pet, rendered)
    return pet


def _own_pet_for_update(*, pet_id: int, member) -> Pet:
    pet = Pet.objects.select_for_update().not_deleted().filter(pk=pet_id).first()
    if pet is None:
        raise Pet.DoesNotExist
    if pet.owner_id != member.pk:
        raise PermissionDenied(_("Only the owner can change this pet."))
    return pet


@member_action("member")
@transaction.atomic
def pet_update(
    *,
    pet_id: int,
    member,
    name: str = UNSET,
    species: str = UNSET,
    breed: str = UNSET,
    sex: str = UNSET,
    neutered: bool = UNSET,
    birth_date: date | None = UNSET,
    age_years: int | None = UNSET,
    size: str = UNSET,
    intro: str = UNSET,
    photo=None,
    upload_key: UUID | None = None,
    remove_photo: bool = False,
) -> Pet:
    """Changes the given fields of the member's own pet (others: PermissionDenied).

    ``photo`` (or ``upload_key``, the member's temporary upload) replaces the photo (its check is
    queued on commit); ``remove_photo`` removes it.
    Fields left out stay as they are.
    """
    pet = _own_pet_for_update(pet_id=pet_id, member=member)
    if name is not UNSET:
        pet.name = _clean_name(name)
    if species is not UNSET:
        pet.species = _clean_choice(species, Species, "species")
    if breed is not UNSET:
        pet.breed = _clean_breed(breed)
    if sex is not UNSET:
        pet.sex = _clean_choice(sex, Sex, "sex")
    if neutered is not UNSET:
        pet.neutered = bool(neutered)
    if size is not UNSET:
        pet.size = _clean_choice(size, Size, "size", allow_blank=True)
    if intro is not UNSET:
        pet.intro = _clean_intro(intro)
    if birth_date is not UNSET or age_years is not UNSET:
        if birth_date is UNSET and age_years is None:
            # Only the approximate age was cleared: an exact birth date stays.
            born, estimated = (None, False) if pet.birth_date_is_estimate else (pet.birth_date, False)
        elif birth_date in (UNSET, None) and pet.birth_date_is_estimate and age_years == pet.age_years:
            # The same approximate age again: keep the estimate instead of moving it to today.
            born, estimated = pet.birth_date, True
        else:
            born, estimated = _resolve_birth(
                birth_date=None if birth_date is UNSET else birth_date,
                age_years=None if age_years is UNSET else age_years,
            )
        pet.birth_date, pet.birth_date_is_estimate = born, estimated
    rendered = _photo_source(owner=member, photo=photo, upload_key=upload_key)
    if rendered is not None:
        _set_photo(pet, rendered)
    elif remove_photo and pet.has_photo:
        _set_photo(pet, None)
    else:
        pet.save()
    return pet


@member_action("member")
@transaction.atomic
def pet_delete(*, pet_id: int, member) -> None:
    """Soft delete: the pet disappears everywhere; the row stays for what refers to it."""
    pet = _own_pet_for_update(pet_id=pet_id, member=member)
    pet.deleted_at = timezone.now()
    pet.save(update_fields=["deleted_at", "updated_at"])
