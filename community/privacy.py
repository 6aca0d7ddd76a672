"""Community's part of a member's data export and deletion (see core/personal_data.py)."""

from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.personal_data import register

from .models import Comment, Follow, Like, Post, PostDraft


def export(member, writer) -> None:
    posts = []
    for post in Post.objects.filter(author=member).prefetch_related("photos", "hashtags"):
        posts.append(
            {
                "id": post.pk,
                "text": post.text,
                "created_at": post.created_at,
                "edited_at": post.edited_at,
                "deleted_at": post.deleted_at,
                "hidden_by_moderators": post.is_hidden,
                "hashtags": [tag.name for tag in post.hashtags.all()],
                "photos": [
                    {"alt_text": photo.alt_text, "file": writer.add_file(f"posts/{post.pk}", photo.full)}
                    for photo in post.photos.all()
                ],
            }
        )
    writer.add_json("posts.json", posts)
    writer.add_json(
        "comments.json",
        list(
            Comment.objects.filter(author=member).values(
                "id", "post_id", "parent_id", "text", "created_at", "edited_at", "deleted_at"
            )
        ),
    )
    writer.add_json(
        "post_draft.json", list(PostDraft.objects.filter(member=member).values("text", "updated_at"))
    )
    writer.add_json("likes.json", list(Like.objects.filter(user=member).values("post_id", "created_at")))
    writer.add_json(
        "follows.json",
        {
            "following": list(
                Follow.objects.filter(follower=member).values("following__username", "created_at")
            ),
            "followers": list(
                Follow.objects.filter(following=member).values("follower__username", "created_at")
            ),
        },
    )


def erase(erasure) -> None:
    member = erasure.member
    likes = Like.objects.filter(user=member)
    # A member likes a post once (like_once_per_member): every liked post loses one, in one UPDATE.
    Post.objects.filter(pk__in=likes.values("post_id"), like_count__gt=0).update(
        like_count=F("like_count") - 1
    )
    likes.delete()
    # An unpublished draft is nobody's evidence: it goes whatever the member chose for their posts.
    PostDraft.objects.filter(member=member).delete()
    Follow.objects.filter(Q(follower=member) | Q(following=member)).delete()
    Post.mentions.through.objects.filter(user=member).delete()
    if not erasure.delete_content:
        return
    # Content hidden by moderators is kept as evidence (anonymous); the rest goes.
    now = timezone.now()
    comments = Comment.objects.filter(author=member, is_hidden=False)
    shown = comments.filter(deleted_at__isnull=True)
    per_post = shown.filter(post=OuterRef("pk")).order_by().values("post").annotate(n=Count("pk")).values("n")
    Post.objects.filter(pk__in=shown.values("post_id")).update(
        comment_count=Greatest(F("comment_count") - Subquery(per_post), 0)
    )
    comments.update(text="", deleted_at=now)
    for post in Post.objects.filter(author=member, is_hidden=False).prefetch_related("photos"):
        for photo in post.photos.all():
            erasure.remove_files(photo.full, photo.display, photo.thumb)
        post.delete()


register(
    "community",
    export=export,
    erase=erase,
    retained=[
        _(
            "Posts and comments that moderators hid, without your name, as evidence for up to a year "
            "(so that a report can still be answered)."
        ),
        _("Mentions of your old username inside other members' posts stay as they wrote them."),
    ],
)
