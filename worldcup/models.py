"""The Dog World Cup: staff-run monthly events where members vote through a bracket.

Events are Wagtail pages (``WorldCupEventPage``) under one ``WorldCupIndexPage``; staff edit
their texts, periods and bracket size in the admin. Entries, games, matches and the pet of the
month are plain models. Results are never stored as counters: they are counted from the
decided matches of *counted* games (a member's first completed game of an event), so they
stay right however many members vote at once.
"""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from core.routes import PageRoutes, ViewRoutesMixin

SEOUL = ZoneInfo("Asia/Seoul")
WITHDRAWN_REASON_MAX_LENGTH = 200


class BracketSize(models.IntegerChoices):
    EIGHT = 8, _("Round of 8 (8강)")
    SIXTEEN = 16, _("Round of 16 (16강)")
    THIRTY_TWO = 32, _("Round of 32 (32강)")


def month_start(moment: datetime | None = None) -> date:
    """The first day of the Seoul calendar month of ``moment`` (now by default)."""
    local = timezone.localtime(moment or timezone.now(), SEOUL)
    return local.date().replace(day=1)


# --------------------------------------------------------------------------- Wagtail pages


class WorldCupIndexPage(ViewRoutesMixin, Page):
    """ "강아지 월드컵": the current event and the hall of fame of past champions."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["worldcup.WorldCupEventPage"]
    max_count = 1
    # The current event and the hall of fame (worldcup.views.index).
    routes = PageRoutes()

    class Meta:
        verbose_name = _("World Cup index page")


class WorldCupEventPage(ViewRoutesMixin, Page):
    """One month's event: entries during the entry period, brackets during the voting period."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("hero image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    entry_opens_at = models.DateTimeField(_("entries open"))
    entry_closes_at = models.DateTimeField(_("entries close"))
    voting_opens_at = models.DateTimeField(_("voting opens"))
    voting_closes_at = models.DateTimeField(_("voting closes"))
    bracket_size = models.PositiveSmallIntegerField(
        _("bracket size"), choices=BracketSize.choices, default=BracketSize.SIXTEEN
    )
    rules = RichTextField(_("rules"), blank=True, features=["bold", "italic", "link", "ol", "ul"])
    month = models.DateField(
        _("month"),
        null=True,
        blank=True,
        unique=True,
        help_text=_("The first day of the month whose pet of the month this event chooses."),
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True, editable=False)

    # Deleting it deletes the notifications about it (their target is a content type and id).
    notifications = GenericRelation(
        "notifications.Notification", content_type_field="target_type", object_id_field="target_id"
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("hero_image"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("entry_opens_at"), FieldPanel("entry_closes_at")]),
                FieldRowPanel([FieldPanel("voting_opens_at"), FieldPanel("voting_closes_at")]),
                FieldPanel("month"),
            ],
            heading=_("Periods"),
        ),
        FieldPanel("bracket_size"),
        FieldPanel("rules"),
    ]
    search_fields = [
        *Page.search_fields,
        index.AutocompleteField("search_document"),
        index.FilterField("month"),
    ]

    parent_page_types = ["worldcup.WorldCupIndexPage"]
    subpage_types = []
    # The event, entering it, playing, a game's result and the leaderboard (worldcup.views).
    routes = PageRoutes()

    class Meta:
        verbose_name = _("World Cup event")
        ordering = ["-voting_opens_at"]

    def clean(self):
        super().clean()
        errors = {}
        if self.entry_opens_at and self.entry_closes_at and self.entry_closes_at <= self.entry_opens_at:
            errors["entry_closes_at"] = _("Entries must close after they open.")
        if self.voting_opens_at and self.voting_closes_at and self.voting_closes_at <= self.voting_opens_at:
            errors["voting_closes_at"] = _("Voting must close after it opens.")
        if self.entry_opens_at and self.voting_opens_at and self.voting_opens_at < self.entry_opens_at:
            errors["voting_opens_at"] = _("Voting cannot open before entries do.")
        if self.month and self.month.day != 1:
            errors["month"] = _("Choose the first day of the month.")
        if errors:
            raise ValidationError(errors)

    def search_document(self) -> str:
        from search.korean import index_document
        from walks.rich_text import html_to_text

        return index_document(self.title, html_to_text(self.intro))

    # Periods -----------------------------------------------------------------------------

    def entry_is_open(self, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.closed_at is None and self.entry_opens_at <= now < self.entry_closes_at

    def voting_is_open(self, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.closed_at is None and self.voting_opens_at <= now < self.voting_closes_at

    @property
    def bracket_label(self) -> str:
        return BracketSize(self.bracket_size).label

    # Routes (worldcup.views) -------------------------------------------------------------

    def route_url(self, name: str, *args) -> str:
        return (self.url or "/") + self.reverse_subpage(name, args=list(args))


# --------------------------------------------------------------------------- entries


class EntryQuerySet(models.QuerySet):
    def active(self):
        """Entries that can be drawn into new games (not withdrawn by a moderator)."""
        return self.filter(withdrawn_at__isnull=True)


def entry_photo_upload_to(instance: "Entry", filename: str) -> str:
    return f"worldcup/{timezone.now():%Y/%m}/{filename}"


def result_card_upload_to(instance: "Game", filename: str) -> str:
    return f"worldcup/cards/{filename}"


class Entry(index.Indexed, models.Model):
    """A member's pet in one event. The pet's name and photo are copied here when it enters, so
    results and the hall of fame keep them after the pet is changed or deleted."""

    event = models.ForeignKey(
        WorldCupEventPage,
        on_delete=models.PROTECT,
        related_name="entries",
        verbose_name=_("event"),
        db_index=False,  # worldcup_one_entry_per_member leads with it
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="worldcup_entries",
        verbose_name=_("member"),
    )
    pet = models.ForeignKey(
        "pets.Pet",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="worldcup_entries",
        verbose_name=_("pet"),
    )
    pet_name = models.CharField(_("pet's name"), max_length=30)
    photo_display = models.ImageField(upload_to=entry_photo_upload_to)
    photo_thumb = models.ImageField(upload_to=entry_photo_upload_to)
    entered_at = models.DateTimeField(_("entered"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawn_reason = models.CharField(
        _("reason for withdrawal"), max_length=WITHDRAWN_REASON_MAX_LENGTH, blank=True
    )
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("withdrawn by"),
    )

    # Deleting it deletes the notifications about it (their target is a content type and id).
    notifications = GenericRelation(
        "notifications.Notification", content_type_field="target_type", object_id_field="target_id"
    )

    objects = EntryQuerySet.as_manager()

    # Indexed explicitly by worldcup.services (through search.indexing), not by Wagtail's signals.
    search_auto_update = False
    search_fields = [
        index.AutocompleteField("search_document"),
        index.FilterField("withdrawn_at"),
        index.FilterField("entered_at"),
    ]

    class Meta:
        verbose_name = _("World Cup entry")
        verbose_name_plural = _("World Cup entries")
        ordering = ["entered_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "member"], name="worldcup_one_entry_per_member")
        ]

    def __str__(self) -> str:
        return self.pet_name

    def get_absolute_url(self) -> str:
        return self.event.route_url("leaderboard") + f"#entry-{self.pk}"

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @property
    def photo_alt(self) -> str:
        return _("Photo of %(name)s") % {"name": self.pet_name}

    def search_document(self) -> str:
        from search.korean import index_document

        return index_document(
            self.pet_name, self.member.display_name if self.member else "", self.event.title
        )

    @classmethod
    def get_indexed_objects(cls):
        return cls.objects.active().select_related("member", "event")


# --------------------------------------------------------------------------- games


class Game(models.Model):
    """One member's bracket in an event, drawn and stored by the server when it starts."""

    # Keeps its own index: both (event, player) constraints below are partial.
    event = models.ForeignKey(WorldCupEventPage, on_delete=models.PROTECT, related_name="games")
    player = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="worldcup_games"
    )
    size = models.PositiveSmallIntegerField(_("bracket slots"))
    current_round = models.PositiveSmallIntegerField(_("current round"))
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    # True for the member's first completed game of the event: only those count in results.
    counted = models.BooleanField(_("counts toward the results"), default=False)
    champion = models.ForeignKey(
        Entry,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,  # worldcup_game_champion leads with it
    )
    # The 1200×630 link preview of a finished game (worldcup/cards.py), drawn once after it ends.
    result_card = models.ImageField(upload_to=result_card_upload_to, blank=True)

    class Meta:
        verbose_name = _("World Cup game")
        verbose_name_plural = _("World Cup games")
        ordering = ["started_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "player"], condition=Q(counted=True), name="worldcup_one_counted_game"
            ),
            models.UniqueConstraint(
                fields=["event", "player"],
                condition=Q(completed_at__isnull=True),
                name="worldcup_one_game_in_play",
            ),
        ]
        indexes = [models.Index(fields=["champion", "counted"], name="worldcup_game_champion")]

    def __str__(self) -> str:
        return f"{self.event_id}/{self.pk}"

    @property
    def is_complete(self) -> bool:
        return self.completed_at is not None


class Match(models.Model):
    """Two entries of a game's round (``round``: how many entries the round starts with, so 8 is
    the 8강 and 2 the final). A bye has no ``entry_b`` and is decided when it is made; it is no
    win or loss for anyone."""

    game = models.ForeignKey(
        Game,
        on_delete=models.CASCADE,
        related_name="matches",
        db_index=False,  # worldcup_match_slot leads with it
    )
    round = models.PositiveSmallIntegerField(_("round"))
    position = models.PositiveSmallIntegerField(_("position"))
    entry_a = models.ForeignKey(Entry, on_delete=models.PROTECT, related_name="+")
    entry_b = models.ForeignKey(Entry, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    winner = models.ForeignKey(Entry, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        verbose_name = _("World Cup match")
        verbose_name_plural = _("World Cup matches")
        ordering = ["game", "-round", "position"]
        constraints = [
            models.UniqueConstraint(fields=["game", "round", "position"], name="worldcup_match_slot"),
            models.CheckConstraint(
                condition=Q(winner__isnull=True)
                | Q(winner=models.F("entry_a"))
                | Q(winner=models.F("entry_b")),
                name="worldcup_winner_plays",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.game_id}/{self.round}/{self.position}"

    @property
    def is_bye(self) -> bool:
        return self.entry_b_id is None


# --------------------------------------------------------------------------- pet of the month


class PetOfTheMonth(models.Model):
    """The champion of a closed event ("이달의 인기 반려동물"), one per month."""

    month = models.DateField(_("month"), unique=True)
    event = models.OneToOneField(WorldCupEventPage, on_delete=models.PROTECT, related_name="pet_of_the_month")
    entry = models.ForeignKey(Entry, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("pet of the month")
        verbose_name_plural = _("pets of the month")
        ordering = ["-month"]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.entry.pet_name}"

    @property
    def is_this_month(self) -> bool:
        """The champion of this month's event (the home page says "이달의")."""
        today = timezone.localdate()
        return (self.month.year, self.month.month) == (today.year, today.month)

    @property
    def is_last_month(self) -> bool:
        """Last month's champion, shown in a new month (the home page says "지난달의")."""
        last_month = timezone.localdate().replace(day=1) - timedelta(days=1)
        return (self.month.year, self.month.month) == (last_month.year, last_month.month)
