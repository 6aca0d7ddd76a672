"""Walk matching: staff-edited Wagtail boards per region, and members' walk posts on them.

Boards (``WalkBoardPage``) live under one ``WalkIndexPage``; staff create and edit them in the
Wagtail admin. A member's walk (``Walk``) is a plain model attached to a board, served by the
board's routes (list, create, detail, edit). Times are aware datetimes; slots and days are
reckoned in Seoul time, where the walks happen.
"""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import ExtractHour
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from community.models import SEE_HIDDEN
from core.querysets import VisibleToMixin
from core.routes import PageRoutes, ViewRoutesMixin

from .rich_text import html_to_text

SEOUL = ZoneInfo("Asia/Seoul")
TITLE_MAX_LENGTH = 80
DESCRIPTION_TEXT_MAX_LENGTH = 2000
DESCRIPTION_HTML_MAX_LENGTH = 10_000
PLACE_MAX_LENGTH = 200
AREA_MAX_LENGTH = 60
MIN_CAPACITY = 2
MAX_CAPACITY = 20
MAX_DURATION = timedelta(hours=8)
# Whoever has not joined a walk sees its point snapped to this grid (degrees, about 500 m in Korea).
PUBLIC_GRID = 0.005


class WalkStatus(models.TextChoices):
    """What the host decided. Whether a walk is *open* also depends on the clock and headcount."""

    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed by the host")
    CANCELLED = "cancelled", _("Cancelled")


class DogSize(models.TextChoices):
    SMALL = "small", _("Small dogs")
    MEDIUM = "medium", _("Medium dogs")
    LARGE = "large", _("Large dogs")


class HostGender(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    UNSPECIFIED = "unspecified", _("Prefer not to say")


class PreferredGender(models.TextChoices):
    ANY = "any", _("Anyone")
    FEMALE = "female", _("Women")
    MALE = "male", _("Men")


class TimeSlot(models.TextChoices):
    """Parts of the day, by the walk's start time in Seoul."""

    MORNING = "morning", _("Morning (06–12)")
    AFTERNOON = "afternoon", _("Afternoon (12–18)")
    EVENING = "evening", _("Evening (18–22)")
    NIGHT = "night", _("Night (22–06)")


# [start hour, end hour) in Seoul; night wraps around midnight.
TIME_SLOT_HOURS = {
    TimeSlot.MORNING: (6, 12),
    TimeSlot.AFTERNOON: (12, 18),
    TimeSlot.EVENING: (18, 22),
    TimeSlot.NIGHT: (22, 6),
}


class ClosedReason(models.TextChoices):
    """Why a walk takes no more members (none: it is open)."""

    CANCELLED = "cancelled", _("Cancelled")
    CLOSED = "closed", _("Closed by the host")
    STARTED = "started", _("Already started")
    FULL = "full", _("Full")


def snap(degrees: float) -> float:
    """``degrees`` on the public grid, written without float noise (37.5 rather than 37.50000000001)."""
    return round(round(degrees / PUBLIC_GRID) * PUBLIC_GRID, 3)


def seoul_day_start(day) -> datetime:
    """The aware moment a Seoul calendar day starts."""
    return datetime.combine(day, time.min, tzinfo=SEOUL)


# --------------------------------------------------------------------------- Wagtail pages


class WalkIndexPage(ViewRoutesMixin, Page):
    """ "산책 친구 찾기": the boards of every region, and walks across all of them."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["walks.WalkBoardPage"]
    max_count = 1
    # Walks across every board, with filters (walks.views.index_walks).
    routes = PageRoutes()

    class Meta:
        verbose_name = _("walk index page")


class WalkBoardPage(ViewRoutesMixin, Page):
    """One region's board (e.g. 서울 강남구). Members' walks on it are ``Walk`` rows."""

    region = models.CharField(
        _("region"), max_length=60, help_text=_("For example 서울 강남구. Shown on every walk of this board.")
    )
    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link", "ol", "ul"])
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("cover image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_open = models.BooleanField(
        _("open for new walks"),
        default=True,
        help_text=_("When off, members can still see and join walks here but cannot post new ones."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("region"),
        FieldPanel("intro"),
        FieldPanel("cover_image"),
        FieldPanel("is_open"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("region")]

    parent_page_types = ["walks.WalkIndexPage"]
    subpage_types = []
    # The board's walks: list, new, detail, edit, delete and the members' actions (walks.views).
    routes = PageRoutes()

    class Meta:
        verbose_name = _("walk board")

    def __str__(self) -> str:
        return self.region or self.title


# --------------------------------------------------------------------------- member walks


class WalkQuerySet(VisibleToMixin, models.QuerySet):
    """``visible_to``: walks a viewer may open, hidden ones only for their host and moderators."""

    owner_field = "host"
    see_hidden_permission = SEE_HIDDEN

    def listed(self):
        """What lists and search show: not deleted, not cancelled, not hidden by moderators."""
        return self.not_deleted().exclude(status=WalkStatus.CANCELLED).filter(is_hidden=False)

    def with_taken_spots(self):
        """``taken_spots``: the host plus the members who joined (``Walk.headcount`` in SQL)."""
        return self.annotate(taken_spots=F("participant_count") + 1)

    def open(self, now: datetime | None = None):
        """Walks that still take members, decided in one SQL query: the host has not closed or
        cancelled it, it has not started, and the headcount is below the capacity."""
        return (
            self.with_taken_spots()
            .not_deleted()
            .filter(status=WalkStatus.OPEN, start_at__gt=now or timezone.now(), taken_spots__lt=F("capacity"))
        )

    def in_time_slot(self, slot: str):
        start, end = TIME_SLOT_HOURS[TimeSlot(slot)]
        walks = self.annotate(start_hour_seoul=ExtractHour("start_at", tzinfo=SEOUL))
        if start < end:
            return walks.filter(start_hour_seoul__gte=start, start_hour_seoul__lt=end)
        return walks.filter(Q(start_hour_seoul__gte=start) | Q(start_hour_seoul__lt=end))

    def welcoming_sizes(self, sizes):
        """Walks that welcome every one of these dog sizes."""
        return self.filter(**{f"welcomes_{DogSize(size).value}": True for size in sizes})

    def welcoming_gender(self, gender: str):
        """Walks whose host welcomes this gender (or anyone)."""
        return self.filter(preferred_gender__in=[PreferredGender.ANY, PreferredGender(gender).value])

    def starting_between(self, first_day=None, last_day=None):
        """Walks starting on these Seoul calendar days (both included)."""
        walks = self
        if first_day is not None:
            walks = walks.filter(start_at__gte=seoul_day_start(first_day))
        if last_day is not None:
            walks = walks.filter(start_at__lt=seoul_day_start(last_day + timedelta(days=1)))
        return walks


class Walk(index.Indexed, models.Model):
    """A member's invitation to walk together on a board."""

    board = models.ForeignKey(
        WalkBoardPage,
        on_delete=models.PROTECT,
        related_name="walks",
        verbose_name=_("board"),
        db_index=False,  # walk_board_start leads with it
    )
    host = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="hosted_walks",
        verbose_name=_("host"),
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    # Written in the prose editor and cleaned by walks.rich_text (nh3) in the services before saving.
    description_html = models.TextField(_("description"), max_length=DESCRIPTION_HTML_MAX_LENGTH)
    start_at = models.DateTimeField(_("starts"), db_index=True)
    end_at = models.DateTimeField(_("ends"))
    meeting_place = models.CharField(
        _("meeting place"),
        max_length=PLACE_MAX_LENGTH,
        help_text=_("Only the host and members who joined see it."),
    )
    area = models.CharField(_("area"), max_length=AREA_MAX_LENGTH, help_text=_("Everyone sees it."))
    # The meeting point the host picked on the map (optional). Exact for the host and members who
    # joined; everyone else gets ``public_point`` (see walks.geo). walk_lat_lng indexes both for
    # the bounding box of "walks near a point".
    latitude = models.FloatField(
        _("latitude"), null=True, blank=True, validators=[MinValueValidator(-90), MaxValueValidator(90)]
    )
    longitude = models.FloatField(
        _("longitude"), null=True, blank=True, validators=[MinValueValidator(-180), MaxValueValidator(180)]
    )
    welcomes_small = models.BooleanField(_("small dogs welcome"), default=True)
    welcomes_medium = models.BooleanField(_("medium dogs welcome"), default=True)
    welcomes_large = models.BooleanField(_("large dogs welcome"), default=True)
    host_gender = models.CharField(
        _("host's gender"), max_length=12, choices=HostGender.choices, default=HostGender.UNSPECIFIED
    )
    preferred_gender = models.CharField(
        _("who may join"), max_length=8, choices=PreferredGender.choices, default=PreferredGender.ANY
    )
    capacity = models.PositiveSmallIntegerField(_("capacity (host included)"))
    # Members who joined, not counting the host. Changed only by UPDATE ... SET = F() + 1 under
    # SELECT ... FOR UPDATE of the walk row (services.walk_join), and never past capacity - 1.
    participant_count = models.PositiveSmallIntegerField(_("members who joined"), default=0)
    pets = models.ManyToManyField("pets.Pet", blank=True, related_name="walks", verbose_name=_("host's pets"))
    status = models.CharField(
        _("status"), max_length=10, choices=WalkStatus.choices, default=WalkStatus.OPEN, db_index=True
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)
    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True)
    is_hidden = models.BooleanField(_("hidden by moderators"), default=False)
    hidden_reason = models.CharField(_("reason for hiding"), max_length=300, blank=True)
    # Set once by walks.tasks (a conditional UPDATE, so one worker wins): the reminder an hour
    # before, and the prompt to write a 후기 afterwards. Moving the start clears the reminder.
    reminder_sent_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)
    review_prompt_sent_at = models.DateTimeField(_("review prompt sent"), null=True, blank=True)

    # Deleting it deletes the notifications about it (their target is a content type and id).
    notifications = GenericRelation(
        "notifications.Notification", content_type_field="target_type", object_id_field="target_id"
    )

    objects = WalkQuerySet.as_manager()

    # Indexed explicitly by the search app (search/indexing.py), not by Wagtail's signals.
    search_auto_update = False
    search_fields = [
        index.AutocompleteField("search_document"),
        index.FilterField("deleted_at"),
        index.FilterField("is_hidden"),
        index.FilterField("status"),
        index.FilterField("start_at"),
        index.FilterField("created_at"),
    ]

    class Meta:
        verbose_name = _("walk")
        verbose_name_plural = _("walks")
        ordering = ["start_at", "id"]
        indexes = [
            models.Index(fields=["board", "start_at"], name="walk_board_start"),
            models.Index(fields=["latitude", "longitude"], name="walk_lat_lng"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(latitude__isnull=True) & Q(longitude__isnull=True))
                | Q(
                    latitude__isnull=False,
                    longitude__isnull=False,
                    latitude__gte=-90,
                    latitude__lte=90,
                    longitude__gte=-180,
                    longitude__lte=180,
                ),
                name="walk_point_in_range",
            ),
            models.CheckConstraint(
                condition=Q(capacity__gte=MIN_CAPACITY, capacity__lte=MAX_CAPACITY), name="walk_capacity_2_20"
            ),
            models.CheckConstraint(
                condition=Q(participant_count__lt=F("capacity")), name="walk_never_over_capacity"
            ),
            models.CheckConstraint(condition=Q(end_at__gt=F("start_at")), name="walk_ends_after_start"),
            models.CheckConstraint(
                condition=Q(welcomes_small=True) | Q(welcomes_medium=True) | Q(welcomes_large=True),
                name="walk_welcomes_some_size",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        """The walk's page on its board (the board's ``walk_detail`` route)."""
        return self.board_route("walk_detail")

    # Search -------------------------------------------------------------------------------

    def search_document(self) -> str:
        from search.korean import index_document

        return index_document(self.title, self.description_text, self.area, self.board.region)

    @classmethod
    def get_indexed_objects(cls):
        return cls.objects.not_deleted().select_related("board")

    # Facts --------------------------------------------------------------------------------

    @property
    def description_text(self) -> str:
        """The description without markup (for search and excerpts)."""
        return html_to_text(self.description_html)

    @property
    def dog_sizes(self) -> list[str]:
        return [size for size in DogSize.values if getattr(self, f"welcomes_{size}")]

    @property
    def dog_size_labels(self) -> list[str]:
        return [DogSize(size).label for size in self.dog_sizes]

    @property
    def has_point(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    @property
    def public_point(self) -> tuple[float, float] | None:
        """The point snapped to ``PUBLIC_GRID``: all that someone who has not joined may learn."""
        if not self.has_point:
            return None
        return snap(self.latitude), snap(self.longitude)

    @property
    def headcount(self) -> int:
        return self.participant_count + 1

    @property
    def spots_left(self) -> int:
        return max(0, self.capacity - self.headcount)

    def closed_reason(self, now: datetime | None = None) -> str | None:
        """Why no one can join now (a ``ClosedReason``), or None when the walk is open."""
        if self.status == WalkStatus.CANCELLED or self.deleted_at is not None:
            return ClosedReason.CANCELLED
        if self.status == WalkStatus.CLOSED:
            return ClosedReason.CLOSED
        if self.start_at <= (now or timezone.now()):
            return ClosedReason.STARTED
        if self.headcount >= self.capacity:
            return ClosedReason.FULL
        return None

    @property
    def is_open(self) -> bool:
        return self.closed_reason() is None

    @property
    def closed_reason_label(self) -> str:
        reason = self.closed_reason()
        return ClosedReason(reason).label if reason else WalkStatus.OPEN.label

    @property
    def has_started(self) -> bool:
        return self.start_at <= timezone.now()

    def review_post_text(self) -> str:
        """What the post form starts with when a member writes a 후기 of this walk: its title, a
        link to it and tags (#산책후기, and #산책<id> that gathers every 후기 of this walk)."""
        link = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + self.get_absolute_url()
        tags = _("#WalkReview #Walk%(id)d") % {"id": self.pk}
        return f"{self.title}\n{link}\n{tags} "

    # URLs (served by the board's routes) -------------------------------------------------------

    def board_route(self, name: str, *extra) -> str:
        return (self.board.url or "/") + self.board.reverse_subpage(name, args=[self.pk, *extra])

    def action_url(self, action: str) -> str:
        return self.board_route("walk_action", action)

    def remove_participant_url(self, member_id: int) -> str:
        return self.board_route("walk_remove_participant", member_id)

    @cached_property
    def urls(self) -> dict[str, str]:
        """The walk's pages and actions on its board, for templates."""
        return {
            "detail": self.get_absolute_url(),
            "edit": self.board_route("walk_edit"),
            "delete": self.board_route("walk_delete"),
            **{action: self.action_url(action) for action in ("join", "leave", "close", "reopen", "cancel")},
        }


class WalkParticipant(models.Model):
    """A member who joined a walk (the host is not one). Removed members keep their row, so the
    host's removal sticks: they cannot join that walk again."""

    # Both keys lead an index already (walk_join_once and walk_participant_member).
    walk = models.ForeignKey(Walk, on_delete=models.CASCADE, related_name="participations", db_index=False)
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="walk_participations", db_index=False
    )
    joined_at = models.DateTimeField(_("joined"), default=timezone.now)
    removed_at = models.DateTimeField(_("removed by the host"), null=True, blank=True)

    class Meta:
        verbose_name = _("walk participant")
        verbose_name_plural = _("walk participants")
        ordering = ["joined_at", "id"]
        constraints = [models.UniqueConstraint(fields=["walk", "member"], name="walk_join_once")]
        indexes = [models.Index(fields=["member", "walk"], name="walk_participant_member")]

    def __str__(self) -> str:
        return f"{self.member} → {self.walk_id}"
