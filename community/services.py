"""Writes to member content. Each function is one transaction; side effects run on commit."""

from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from uuid import UUID

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core import selectors as core_selectors
from core import services as core_services
from core.actions import AllowedWhileSuspended, member_action
from core.images import RenderedPhoto, render_photo
from core.models import TemporaryUpload
from core.text import normalize_text
from korean.hashtags import with_stem_tags
from moderation import guards
from notifications.models import Kind, Notification
from notifications.selectors import shown_on_site
from notifications.services import notifications_withdraw, notify
from pets import selectors as pets_selectors

from .models import (
    COMMENT_TEXT_MAX_LENGTH,
    MAX_PHOTOS_PER_POST,
    POST_TEXT_MAX_LENGTH,
    Comment,
    Follow,
    Hashtag,
    Like,
    Post,
    PostDraft,
    PostPhoto,
)
from .text import extract_hashtags, extract_mentions

User = get_user_model()


@dataclass(frozen=True)
class PhotoUpload:
    """One photo of a post, in its place, as the member sends it: a new ``file``, one of their
    temporary uploads (``upload_key``: chosen earlier, kept by ``core``), or, when editing, a
    photo the post already has (``photo_id``)."""

    file: object = None
    alt_text: str = ""
    upload_key: UUID | None = None
    photo_id: int | None = None


def _clean_text(text: str, *, max_length: int, allow_empty: bool = False) -> str:
    cleaned = normalize_text(text or "")
    if not cleaned and not allow_empty:
        raise ValidationError({"text": _("Write something first.")})
    if len(cleaned) > max_length:
        raise ValidationError(
            {
                "text": _("Keep it under %(max)d characters (now %(now)d).")
                % {"max": max_length, "now": len(cleaned)}
            }
        )
    return cleaned


def _check_photos(photos: Sequence[PhotoUpload]) -> None:
    if len(photos) > MAX_PHOTOS_PER_POST:
        raise ValidationError(
            {"photos": _("A post can have at most %(max)d photos.") % {"max": MAX_PHOTOS_PER_POST}}
        )


PhotoSource = RenderedPhoto | TemporaryUpload | PostPhoto


def _photo_sources(
    photos: Sequence[PhotoUpload], *, author, post: Post | None = None
) -> list[tuple[PhotoUpload, PhotoSource]]:
    """Each photo with what it is made from: a new file checked and re-encoded now, the author's
    temporary upload, or the post's own photo. Every problem is reported at once."""
    uploads = core_selectors.owned_uploads(
        owner=author, keys=[photo.upload_key for photo in photos if photo.upload_key], lock=True
    )
    own_photos = {photo.pk: photo for photo in post.photos.all()} if post is not None else {}
    gone_upload = _("It was kept for 24 hours and is gone now. Choose it again.")
    not_in_post = _("This photo is not part of the post any more.")
    sources = []
    errors = []
    taken = set()
    for index, photo in enumerate(photos, start=1):
        label = _("Photo %(number)d") % {"number": index}
        # One stored photo appears once: two rows naming it would share (and lose) its files.
        stored = photo.upload_key or photo.photo_id
        if stored is not None and stored in taken:
            continue
        taken.add(stored)
        if photo.file is not None:
            try:
                sources.append((photo, render_photo(photo.file, basename=f"photo{index}")))
            except ValidationError as error:
                errors.extend(f"{label}: {message}" for message in error.messages)
        elif photo.upload_key is not None and photo.upload_key in uploads:
            sources.append((photo, uploads[photo.upload_key]))
        elif photo.upload_key is not None:
            errors.append(f"{label}: {gone_upload}")
        elif photo.photo_id in own_photos:
            sources.append((photo, own_photos[photo.photo_id]))
        else:
            errors.append(f"{label}: {not_in_post}")
    if errors:
        raise ValidationError({"photos": errors})
    return sources


def _store_photos(post: Post, sources: Sequence[tuple[PhotoUpload, PhotoSource]], *, editing: bool) -> None:
    """Makes the post's photos exactly ``sources``, in that order: new ones are stored (a
    temporary upload hands over its files), kept ones get their new place and description, and
    the post's other photos go, with their files after commit."""
    kept = {source.pk for _photo, source in sources if isinstance(source, PostPhoto)}
    gone = list(post.photos.exclude(pk__in=kept)) if editing else []
    for position, (photo, source) in enumerate(sources):
        alt_text = normalize_text(photo.alt_text)[:200]
        if isinstance(source, PostPhoto):
            if (source.position, source.alt_text) != (position, alt_text):
                source.position, source.alt_text = position, alt_text
                source.save(update_fields=["position", "alt_text"])
            continue
        if isinstance(source, TemporaryUpload):
            files = {"full": source.full.name, "display": source.display.name, "thumb": source.thumb.name}
            size = {"width": source.width, "height": source.height}
        else:
            files, size = source.files, {}
        PostPhoto.objects.create(post=post, position=position, alt_text=alt_text, **files, **size)
    core_services.temporary_uploads_take_over(
        uploads=[source for _photo, source in sources if isinstance(source, TemporaryUpload)]
    )
    if gone:
        PostPhoto.objects.filter(pk__in=[photo.pk for photo in gone]).delete()
        names = [
            (file.storage, file.name) for photo in gone for file in (photo.full, photo.display, photo.thumb)
        ]
        transaction.on_commit(partial(core_services.remove_files, names))


def _sync_tags_and_mentions(post: Post, *, notify_from: set[int]) -> None:
    # A tag written with a particle (#공원을) also files the post under its stem tag (#공원), so
    # the tag page, its count and search agree.
    names = with_stem_tags(extract_hashtags(post.text))
    existing = {tag.name: tag for tag in Hashtag.objects.filter(name__in=names)}
    missing = [Hashtag(name=name) for name in names if name not in existing]
    if missing:
        Hashtag.objects.bulk_create(missing, ignore_conflicts=True)
        existing = {tag.name: tag for tag in Hashtag.objects.filter(name__in=names)}
    post.hashtags.set(existing.values())

    mentioned = _mentionable(author_id=post.author_id, text=post.text, exclude=[post.author_id])
    post.mentions.set(mentioned)
    notify(
        kind=Kind.MENTION,
        recipients=[member for member in mentioned if member.pk not in notify_from],
        actor=post.author,
        target=post,
    )


def _mentionable(*, author_id: int, text: str, exclude) -> list:
    """The active members ``text`` mentions, other than ``exclude``; members who blocked the
    author or were blocked by them are not mentioned (no link, no notification)."""
    named = list(
        User.objects.filter(username__in=extract_mentions(text), is_active=True).exclude(pk__in=exclude)
    )
    reachable = guards.not_blocked_ids(member_id=author_id, other_ids=[member.pk for member in named])
    return [member for member in named if member.pk in reachable]


def _taggable_pets(*, author, pet_ids: Sequence[int]) -> list:
    """The author's own (not deleted) pets with these ids; any other id is refused."""
    wanted = set(pet_ids)
    if not wanted:
        return []
    pets = list(pets_selectors.owned_pets(owner=author).filter(pk__in=wanted))
    if len(pets) != len(wanted):
        raise ValidationError({"pets": _("You can only tag your own pets.")})
    return pets


@member_action("author")
@transaction.atomic
def post_create(*, author, text: str, photos: Sequence[PhotoUpload] = (), pets: Sequence[int] = ()) -> Post:
    cleaned = _clean_text(text, max_length=POST_TEXT_MAX_LENGTH, allow_empty=bool(photos))
    _check_photos(photos)
    tagged_pets = _taggable_pets(author=author, pet_ids=pets)
    sources = _photo_sources(photos, author=author)
    post = Post.objects.create(author=author, text=cleaned)
    PostDraft.objects.filter(member=author).delete()
    if tagged_pets:
        post.pets.set(tagged_pets)
    _store_photos(post, sources, editing=False)
    _sync_tags_and_mentions(post, notify_from=set())
    return post


@member_action("member")
@transaction.atomic
def draft_save(*, member, text: str) -> PostDraft | None:
    """Keeps what the member is writing in the post form (autosaved as they type); an empty text
    discards the draft instead."""
    cleaned = _clean_text(text, max_length=POST_TEXT_MAX_LENGTH, allow_empty=True)
    if not cleaned:
        PostDraft.objects.filter(member=member).delete()
        return None
    draft, _created = PostDraft.objects.update_or_create(
        member=member, defaults={"text": cleaned, "updated_at": timezone.now()}
    )
    return draft


@member_action("member")
@transaction.atomic
def draft_discard(*, member) -> None:
    PostDraft.objects.filter(member=member).delete()


def _own_post_for_update(*, post_id: int, member) -> Post:
    post = Post.objects.select_for_update().not_deleted().filter(pk=post_id).first()
    if post is None:
        raise Post.DoesNotExist
    if post.author_id != member.pk:
        raise PermissionDenied(_("Only the author can change this post."))
    return post


@member_action("member")
@transaction.atomic
def post_update(*, post_id: int, member, text: str, photos: Sequence[PhotoUpload] | None = None) -> Post:
    """Changes the text and, when ``photos`` is given, makes them the post's photos in that order
    (adding, removing, reordering and describing them anew); ``None`` leaves the photos alone."""
    post = _own_post_for_update(post_id=post_id, member=member)
    already_mentioned = set(post.mentions.values_list("pk", flat=True))
    has_photos = bool(photos) if photos is not None else post.photos.exists()
    post.text = _clean_text(text, max_length=POST_TEXT_MAX_LENGTH, allow_empty=has_photos)
    if photos is not None:
        _check_photos(photos)
        _store_photos(post, _photo_sources(photos, author=member, post=post), editing=True)
    post.edited_at = timezone.now()
    post.save(update_fields=["text", "edited_at"])
    _sync_tags_and_mentions(post, notify_from=already_mentioned)
    return post


@member_action("member")
@transaction.atomic
def post_delete(*, post_id: int, member) -> None:
    """Soft delete: the author sees it gone at once; moderators keep the evidence."""
    post = _own_post_for_update(post_id=post_id, member=member)
    post.deleted_at = timezone.now()
    post.save(update_fields=["deleted_at"])
    notifications_withdraw(target=post, targets=Comment.objects.filter(post=post))


def _visible_post(*, post_id: int, member) -> Post:
    return Post.objects.visible_to(member).get(pk=post_id)


@member_action("author")
@transaction.atomic
def comment_create(*, post_id: int, author, text: str, parent_id: int | None = None) -> Comment:
    post = _visible_post(post_id=post_id, member=author)
    guards.check_not_blocked(member_id=author.pk, other_id=post.author_id)
    parent = None
    if parent_id is not None:
        parent = Comment.objects.visible_to(author).filter(pk=parent_id, post=post).first()
        if parent is None:
            raise ValidationError({"parent": _("The comment you are replying to is gone.")})
        parent = parent.parent or parent  # replies stay one level deep
        guards.check_not_blocked(member_id=author.pk, other_id=parent.author_id)
    comment = Comment.objects.create(
        post=post,
        author=author,
        parent=parent,
        text=_clean_text(text, max_length=COMMENT_TEXT_MAX_LENGTH),
    )
    Post.objects.filter(pk=post.pk).update(comment_count=F("comment_count") + 1)
    notified = {author.pk}
    if parent is not None and parent.author_id not in notified:
        notify(kind=Kind.REPLY, recipients=[parent.author_id], actor=author, target=comment)
        notified.add(parent.author_id)
    if post.author_id not in notified:
        notify(kind=Kind.COMMENT, recipients=[post.author_id], actor=author, target=comment)
        notified.add(post.author_id)
    mentioned = _mentionable(author_id=author.pk, text=comment.text, exclude=notified)
    notify(kind=Kind.MENTION, recipients=mentioned, actor=author, target=comment)
    return comment


def _own_comment_for_update(*, comment_id: int, member) -> Comment:
    comment = Comment.objects.select_for_update().filter(pk=comment_id, deleted_at__isnull=True).first()
    if comment is None:
        raise Comment.DoesNotExist
    if comment.author_id != member.pk:
        raise PermissionDenied(_("Only the author can change this comment."))
    return comment


@member_action("member")
@transaction.atomic
def comment_update(*, comment_id: int, member, text: str) -> Comment:
    comment = _own_comment_for_update(comment_id=comment_id, member=member)
    comment.text = _clean_text(text, max_length=COMMENT_TEXT_MAX_LENGTH)
    comment.edited_at = timezone.now()
    comment.save(update_fields=["text", "edited_at"])
    return comment


@member_action("member")
@transaction.atomic
def comment_delete(*, comment_id: int, member) -> None:
    comment = _own_comment_for_update(comment_id=comment_id, member=member)
    comment.deleted_at = timezone.now()
    comment.save(update_fields=["deleted_at"])
    Post.objects.filter(pk=comment.post_id, comment_count__gt=0).update(comment_count=F("comment_count") - 1)
    notifications_withdraw(target=comment)


@member_action("member")
@transaction.atomic
def like_add(*, post_id: int, member) -> Post:
    post = _visible_post(post_id=post_id, member=member)
    guards.check_not_blocked(member_id=member.pk, other_id=post.author_id)
    try:
        with transaction.atomic():
            like = Like.objects.create(user=member, post=post)
    except IntegrityError:
        return Post.objects.get(pk=post.pk)
    Post.objects.filter(pk=post.pk).update(like_count=F("like_count") + 1)
    if post.author_id != member.pk:
        _notify_like(post=post, like=like)
    return Post.objects.get(pk=post.pk)


def _notify_like(*, post: Post, like: Like) -> None:
    """Likes on one post collect in one unread notification: "A and 3 others liked your post".
    It counts people: the members whose like is newer than the notification (one like each),
    so liking, unliking and liking again is still one person."""

    def likers_since(since) -> int:
        return (
            Like.objects.filter(Q(created_at__gte=since) | Q(pk=like.pk), post=post)
            .exclude(user_id=post.author_id)
            .count()
        )

    notify(
        kind=Kind.LIKE,
        recipients=[post.author_id],
        actor=like.user,
        target=post,
        at=like.created_at,
        count_actors=likers_since,
    )


@member_action("member")
@transaction.atomic
def like_remove(*, post_id: int, member) -> Post:
    post = _visible_post(post_id=post_id, member=member)
    deleted = Like.objects.filter(user=member, post=post).delete()[0]
    if deleted:
        Post.objects.filter(pk=post.pk, like_count__gt=0).update(like_count=F("like_count") - 1)
    return Post.objects.get(pk=post.pk)


@member_action("follower")
@transaction.atomic
def follow_add(*, follower, following) -> bool:
    if follower.pk == following.pk:
        raise ValidationError(_("You cannot follow yourself."))
    guards.check_not_blocked(member_id=follower.pk, other_id=following.pk)
    created = Follow.objects.get_or_create(follower=follower, following=following)[1]
    if created:
        notify(kind=Kind.FOLLOW, recipients=[following], actor=follower, target=follower)
    return created


@member_action("follower")
@transaction.atomic
def follow_remove(*, follower, following) -> bool:
    deleted = Follow.objects.filter(follower=follower, following=following).delete()[0]
    return bool(deleted)


@member_action("member", allowed_while_suspended=AllowedWhileSuspended.MARK_READ)
def notifications_mark_read(*, member, ids: Sequence[int] | None = None) -> int:
    """Marks what the member sees on the site read; rows kept only for the e-mail digest wait for it."""
    unread = shown_on_site(Notification.objects.filter(recipient=member, read_at__isnull=True), member=member)
    if ids is not None:
        unread = unread.filter(pk__in=ids)
    return unread.update(read_at=timezone.now())
