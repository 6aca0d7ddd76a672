from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.search import index

from core.querysets import VisibleToMixin

POST_TEXT_MAX_LENGTH = 2000
COMMENT_TEXT_MAX_LENGTH = 1000
MAX_PHOTOS_PER_POST = 10


class Hashtag(models.Model):
    name = models.CharField(_("name"), max_length=50, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("hashtag")
        verbose_name_plural = _("hashtags")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"#{self.name}"


# Moderators see what they hid (with the author), to review it and to undo the hiding.
SEE_HIDDEN = "community.view_hidden_content"


class PostQuerySet(VisibleToMixin, models.QuerySet):
    see_hidden_permission = SEE_HIDDEN

    def with_viewer_state(self, user):
        """Adds `liked_by_viewer` in the same query, for like buttons."""
        if not user.is_authenticated:
            return self.annotate(liked_by_viewer=models.Value(False))
        return self.annotate(
            liked_by_viewer=Exists(Like.objects.filter(post=OuterRef("pk"), user=user)),
        )


# Where ``community.selectors.post_list`` puts a list's prefetched photos and tagged pets.
PREFETCHED_PHOTOS = "_prefetched_photo_list"
PREFETCHED_PETS = "_prefetched_pet_list"


class Post(index.Indexed, models.Model):
    """A "dog history" entry: a member's text with photos, #hashtags and @mentions."""

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="posts",
        verbose_name=_("author"),
        db_index=False,  # post_author_recent leads with it
    )
    text = models.TextField(_("text"), max_length=POST_TEXT_MAX_LENGTH)
    hashtags = models.ManyToManyField(Hashtag, related_name="posts", blank=True, verbose_name=_("hashtags"))
    mentions = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="mentioned_in", blank=True, verbose_name=_("mentions")
    )
    pets = models.ManyToManyField("pets.Pet", blank=True, related_name="posts", verbose_name=_("pets"))
    like_count = models.PositiveIntegerField(_("likes"), default=0)
    comment_count = models.PositiveIntegerField(_("comments"), default=0)
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)
    is_hidden = models.BooleanField(_("hidden by moderators"), default=False)
    hidden_reason = models.CharField(_("reason for hiding"), max_length=300, blank=True)
    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True)

    # Deleting it deletes the notifications about it (their target is a content type and id).
    notifications = GenericRelation(
        "notifications.Notification", content_type_field="target_type", object_id_field="target_id"
    )

    objects = PostQuerySet.as_manager()

    # Indexed explicitly by the search app (search/indexing.py), not by Wagtail's signals.
    search_auto_update = False
    search_fields = [
        index.AutocompleteField("search_document"),
        index.FilterField("deleted_at"),
        index.FilterField("is_hidden"),
        index.FilterField("created_at"),
        index.FilterField("author"),  # search leaves out authors the viewer does not see
    ]

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        ordering = ["-created_at", "-id"]
        permissions = [("view_hidden_content", _("Can see hidden and deleted member content"))]
        indexes = [
            models.Index(fields=["author", "-created_at"], name="post_author_recent"),
            models.Index(fields=["-like_count", "-created_at"], name="post_popular"),
        ]

    def __str__(self) -> str:
        return f"{self.author} · {self.text[:40]}"

    def get_absolute_url(self) -> str:
        return reverse("community:post_detail", args=[self.pk])

    @property
    def photo_list(self) -> list["PostPhoto"]:
        """The photos in order. Lists prefetch them into a plain list (``post_list``): Django gives
        every post of a prefetched relation its own filtered queryset, a third of a feed's ORM time."""
        prefetched = self.__dict__.get(PREFETCHED_PHOTOS)
        return list(self.photos.all()) if prefetched is None else prefetched

    @property
    def tagged_pet_list(self) -> list:
        """The author's pets tagged in the post, deleted ones left out, oldest first (see ``photo_list``)."""
        prefetched = self.__dict__.get(PREFETCHED_PETS)
        return list(self.pets.not_deleted()) if prefetched is None else prefetched

    def search_document(self) -> str:
        from community.text import extract_hashtags
        from search.korean import index_document

        tags = tuple(extract_hashtags(self.text))
        return index_document(self.text, priority=tags, hashtags=tags)

    @classmethod
    def get_indexed_objects(cls):
        return cls.objects.not_deleted()


def photo_upload_to(instance: "PostPhoto", filename: str) -> str:
    return f"posts/{timezone.now():%Y/%m}/{filename}"


class PostPhoto(models.Model):
    """One photo of a post, stored only as re-encoded sizes (no original, no metadata)."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="photos")
    position = models.PositiveSmallIntegerField(default=0)
    # Asked for, not required: the post form asks once about photos without one (community.forms).
    alt_text = models.CharField(_("description (alt text)"), max_length=200, blank=True)
    full = models.ImageField(upload_to=photo_upload_to, width_field="width", height_field="height")
    display = models.ImageField(upload_to=photo_upload_to)
    thumb = models.ImageField(upload_to=photo_upload_to)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.description

    @property
    def description(self) -> str:
        """What a screen reader says for the photo: its author's words, or that there are none."""
        return self.alt_text or gettext("A photo with no description")


class CommentQuerySet(VisibleToMixin, models.QuerySet):
    see_hidden_permission = SEE_HIDDEN


class Comment(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="replies",
        verbose_name=_("reply to"),
    )
    text = models.TextField(_("comment"), max_length=COMMENT_TEXT_MAX_LENGTH)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)
    is_hidden = models.BooleanField(_("hidden by moderators"), default=False)
    hidden_reason = models.CharField(_("reason for hiding"), max_length=300, blank=True)
    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True)

    # Deleting it deletes the notifications about it (their target is a content type and id).
    notifications = GenericRelation(
        "notifications.Notification", content_type_field="target_type", object_id_field="target_id"
    )

    objects = CommentQuerySet.as_manager()

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text[:40]


class Like(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="likes",
        db_index=False,  # like_once_per_member leads with it
    )
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="likes")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "post"], name="like_once_per_member")]

    def __str__(self) -> str:
        return f"{self.user} ♥ {self.post_id}"


class PostDraft(models.Model):
    """The post a member was writing and has not published: autosaved from the post form, offered
    back when they open it again, gone once they publish or discard it. One per member."""

    member = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="post_draft",
        verbose_name=_("member"),
    )
    text = models.TextField(_("text"), max_length=POST_TEXT_MAX_LENGTH)
    updated_at = models.DateTimeField(_("saved"), default=timezone.now)

    class Meta:
        verbose_name = _("post draft")
        verbose_name_plural = _("post drafts")

    def __str__(self) -> str:
        return f"{self.member_id}: {self.text[:20]}"


class Follow(models.Model):
    follower = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="following_set",
        db_index=False,  # follow_once leads with it
    )
    following = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follower_set"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["follower", "following"], name="follow_once"),
            models.CheckConstraint(condition=~Q(follower=models.F("following")), name="no_self_follow"),
        ]

    def __str__(self) -> str:
        return f"{self.follower} → {self.following}"
