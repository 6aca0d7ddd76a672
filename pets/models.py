"""A member's pets, each with an optional photo that the classifier checks in the background.

The owner's choice of species is theirs: the photo check only ever writes the ``verdict*`` and
``photo_status`` fields, and pages show a gentle notice when the two disagree.
"""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.search import index

PET_NAME_MAX_LENGTH = 30
BREED_MAX_LENGTH = 50
INTRO_MAX_LENGTH = 300
MAX_PETS_PER_MEMBER = 20
MAX_AGE_YEARS = 40


class Species(models.TextChoices):
    DOG = "dog", _("Dog")
    CAT = "cat", _("Cat")
    OTHER = "other", _("Other")


class Sex(models.TextChoices):
    MALE = "male", pgettext_lazy("pet sex", "Male")
    FEMALE = "female", pgettext_lazy("pet sex", "Female")
    UNKNOWN = "unknown", pgettext_lazy("pet sex", "Not sure")


class Size(models.TextChoices):
    SMALL = "small", _("Small")
    MEDIUM = "medium", _("Medium")
    LARGE = "large", _("Large")


class PhotoStatus(models.TextChoices):
    """Where the photo check stands. Blank: the pet has no photo."""

    PENDING = "pending", _("checking")
    DONE = "done", _("checked")
    FAILED = "failed", _("check failed")
    REJECTED = "rejected", _("photo could not be read")


# The photo check's confidence from which it reads "almost certainly" and "most likely".
CERTAIN = 0.9
LIKELY = 0.7


class Verdict(models.TextChoices):
    """What the classifier sees in the photo (``ml.classifier.Verdict.label``)."""

    DOG = "dog", pgettext_lazy("photo check verdict", "dog")
    CAT = "cat", pgettext_lazy("photo check verdict", "cat")
    NEITHER = "neither", pgettext_lazy("photo check verdict", "no dog or cat")


class PetQuerySet(models.QuerySet):
    def not_deleted(self):
        """Deleted pets stay in the table (other features point at them) but are shown nowhere."""
        return self.filter(deleted_at__isnull=True)


def pet_photo_upload_to(instance: "Pet", filename: str) -> str:
    return f"pets/{timezone.now():%Y/%m}/{filename}"


class Pet(index.Indexed, models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="pets",
        verbose_name=_("owner"),
        db_index=False,  # pet_owner_created leads with it
    )
    name = models.CharField(pgettext_lazy("pet", "name"), max_length=PET_NAME_MAX_LENGTH)
    species = models.CharField(_("species"), max_length=10, choices=Species.choices)
    breed = models.CharField(_("breed"), max_length=BREED_MAX_LENGTH, blank=True)
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices, default=Sex.UNKNOWN)
    neutered = models.BooleanField(_("neutered or spayed"), default=False)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    birth_date_is_estimate = models.BooleanField(
        _("birth date estimated from an age"),
        default=False,
        help_text=_("Set when the owner gave an approximate age instead of a birth date."),
    )
    size = models.CharField(_("size"), max_length=10, choices=Size.choices, blank=True)
    intro = models.CharField(_("short intro"), max_length=INTRO_MAX_LENGTH, blank=True)

    # The photo is stored only as re-encoded sizes (core.images.render_photo); the check
    # classifies photo_full.
    photo_full = models.ImageField(
        upload_to=pet_photo_upload_to,
        width_field="photo_width",
        height_field="photo_height",
        blank=True,
    )
    photo_display = models.ImageField(upload_to=pet_photo_upload_to, blank=True)
    photo_thumb = models.ImageField(upload_to=pet_photo_upload_to, blank=True)
    photo_width = models.PositiveIntegerField(default=0)
    photo_height = models.PositiveIntegerField(default=0)
    photo_version = models.PositiveIntegerField(
        default=0,
        help_text=_("Goes up with every new or removed photo; a check records its verdict only for its own."),
    )

    photo_status = models.CharField(
        _("photo check"), max_length=10, choices=PhotoStatus.choices, blank=True, db_index=True
    )
    verdict = models.CharField(_("photo check verdict"), max_length=10, choices=Verdict.choices, blank=True)
    verdict_confidence = models.FloatField(_("verdict confidence"), null=True, blank=True)
    verdict_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    verdict_attempts = models.PositiveSmallIntegerField(_("check attempts"), default=0)

    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True)

    objects = PetQuerySet.as_manager()

    # Indexed explicitly by the search app (search/indexing.py), not by Wagtail's signals.
    search_auto_update = False
    search_fields = [
        index.AutocompleteField("search_document"),
        index.FilterField("deleted_at"),
        index.FilterField("created_at"),
    ]

    class Meta:
        verbose_name = _("pet")
        verbose_name_plural = _("pets")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["owner", "created_at"], name="pet_owner_created")]
        constraints = [
            models.CheckConstraint(
                condition=Q(verdict_confidence__isnull=True)
                | Q(verdict_confidence__gte=0, verdict_confidence__lte=1),
                name="pet_verdict_confidence_0_1",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("pets:detail", args=[self.pk])

    def search_document(self) -> str:
        """Name first; the species in every site language, so 강아지 and "dog" both find dogs."""
        from search.korean import index_document

        species = []
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                species.append(str(self.get_species_display()))
        return index_document(self.intro, self.breed, *species, priority=(self.name,))

    @classmethod
    def get_indexed_objects(cls):
        return cls.objects.not_deleted()

    @property
    def has_photo(self) -> bool:
        return bool(self.photo_full)

    @property
    def photo_alt(self) -> str:
        return _("Photo of %(name)s") % {"name": self.name}

    @property
    def age_years(self) -> int | None:
        """Whole years since the (possibly estimated) birth date, in the site's time zone."""
        if self.birth_date is None:
            return None
        today = timezone.localdate()
        born = self.birth_date
        return max(0, today.year - born.year - ((today.month, today.day) < (born.month, born.day)))

    @property
    def verdict_percent(self) -> int:
        return round((self.verdict_confidence or 0) * 100)

    @property
    def verdict_certainty(self) -> str:
        """How sure the photo check is, in words a member reads at a glance (not a percentage)."""
        confidence = self.verdict_confidence or 0
        if confidence >= CERTAIN:
            return _("almost certainly")
        if confidence >= LIKELY:
            return _("most likely")
        return _("not sure")

    @property
    def verdict_disagrees(self) -> bool:
        """The check found a dog or a cat, and the owner chose something else."""
        return (
            self.photo_status == PhotoStatus.DONE
            and self.verdict in {Verdict.DOG, Verdict.CAT}
            and self.verdict != self.species
        )

    @property
    def no_dog_or_cat_found(self) -> bool:
        """Flag for the owner of a dog or cat whose photo shows neither (never blocks anything)."""
        return (
            self.photo_status == PhotoStatus.DONE
            and self.verdict == Verdict.NEITHER
            and self.species in {Species.DOG, Species.CAT}
        )


def birth_date_from_age(years: int, *, today: date | None = None) -> date:
    """An estimated birth date ``years`` ago (29 February falls back to the 28th)."""
    today = today or timezone.localdate()
    try:
        return today.replace(year=today.year - years)
    except ValueError:
        return today.replace(year=today.year - years, day=28)
