from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.serializers import MemberSummarySerializer

from .models import COMMENT_TEXT_MAX_LENGTH, MAX_PHOTOS_PER_POST, POST_TEXT_MAX_LENGTH
from .text import linkify

User = get_user_model()


class MemberProfileSerializer(MemberSummarySerializer):
    bio = serializers.CharField()
    post_count = serializers.IntegerField()
    follower_count = serializers.IntegerField()
    following_count = serializers.IntegerField()
    followed_by_me = serializers.SerializerMethodField()

    @extend_schema_field(serializers.BooleanField())
    def get_followed_by_me(self, member):
        return bool(getattr(member, "followed_by_viewer", False))


class PhotoSerializer(serializers.Serializer):
    thumb_url = serializers.CharField(source="thumb.url")
    display_url = serializers.CharField(source="display.url")
    alt_text = serializers.CharField()
    width = serializers.IntegerField()
    height = serializers.IntegerField()


class TaggedPetSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    species = serializers.CharField()
    url = serializers.SerializerMethodField()

    @extend_schema_field(serializers.CharField())
    def get_url(self, pet):
        return reverse("pets:detail", args=[pet.pk])


class PostOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    author = MemberSummarySerializer()
    text = serializers.CharField(help_text=_("Plain text as written."))
    text_html = serializers.SerializerMethodField(
        help_text=_("Escaped text with hashtags, mentions and links.")
    )
    photos = PhotoSerializer(many=True, source="photo_list")
    pets = TaggedPetSerializer(
        many=True, source="tagged_pet_list", help_text=_("The author's pets in this post.")
    )
    like_count = serializers.IntegerField()
    comment_count = serializers.IntegerField(
        source="shown_comment_count",
        help_text=_("Comments the caller sees (blocked and muted members' left out)."),
    )
    liked_by_me = serializers.BooleanField(source="liked_by_viewer")
    is_hidden = serializers.BooleanField()
    hidden_reason = serializers.CharField()
    created_at = serializers.DateTimeField()
    edited_at = serializers.DateTimeField(allow_null=True)
    url = serializers.SerializerMethodField()

    @extend_schema_field(serializers.CharField())
    def get_text_html(self, post):
        return str(linkify(post.text))

    @extend_schema_field(serializers.CharField())
    def get_url(self, post):
        return reverse("community:post_detail", args=[post.pk])


class PostCreateInputSerializer(serializers.Serializer):
    text = serializers.CharField(
        max_length=POST_TEXT_MAX_LENGTH, allow_blank=True, required=False, default=""
    )
    photos = serializers.ListField(
        child=serializers.FileField(), required=False, default=list, max_length=MAX_PHOTOS_PER_POST
    )
    alt_texts = serializers.ListField(
        child=serializers.CharField(max_length=200, allow_blank=True),
        help_text=_("One description per photo, in the same order; an empty one for a photo without."),
        required=False,
        default=list,
        max_length=MAX_PHOTOS_PER_POST,
    )
    pets = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        required=False,
        default=list,
        max_length=20,
        help_text=_("Ids of the author's own pets to tag."),
    )

    def validate(self, attrs):
        if len(attrs["alt_texts"]) != len(attrs["photos"]):
            raise serializers.ValidationError(
                {"alt_texts": _("Give one description (alt text) for each photo.")}
            )
        return attrs


class PostUpdateInputSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=POST_TEXT_MAX_LENGTH, allow_blank=True)


class CommentOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    post_id = serializers.IntegerField()
    parent_id = serializers.IntegerField(allow_null=True)
    author = MemberSummarySerializer()
    text = serializers.CharField()
    text_html = serializers.SerializerMethodField()
    is_hidden = serializers.BooleanField()
    created_at = serializers.DateTimeField()
    edited_at = serializers.DateTimeField(allow_null=True)

    @extend_schema_field(serializers.CharField())
    def get_text_html(self, comment):
        return str(linkify(comment.text))


class CommentThreadSerializer(CommentOutputSerializer):
    replies = CommentOutputSerializer(many=True, source="visible_replies")


class CommentCreateInputSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=COMMENT_TEXT_MAX_LENGTH)
    parent = serializers.IntegerField(required=False, allow_null=True, default=None)


class CommentUpdateInputSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=COMMENT_TEXT_MAX_LENGTH)


class LikeStateSerializer(serializers.Serializer):
    liked = serializers.BooleanField()
    like_count = serializers.IntegerField()


class FollowStateSerializer(serializers.Serializer):
    following = serializers.BooleanField()


class NotificationOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    actor = MemberSummarySerializer(
        allow_null=True, help_text=_("None for system notifications (World Cup, moderation).")
    )
    actor_count = serializers.IntegerField()
    target_type = serializers.CharField(
        source="target_key",
        help_text=_("What the notification is about: community.post, community.comment, walks.walk, …"),
    )
    target_id = serializers.IntegerField(allow_null=True)
    target_text = serializers.CharField(help_text=_("What the notification names of it (a walk's title)."))
    target_url = serializers.CharField(help_text=_("Where its link leads; empty when it has none."))
    target_gone = serializers.BooleanField(
        help_text=_("Whether the target was deleted, hidden or blocked since: the link would answer 404.")
    )
    details = serializers.DictField(
        help_text=_(
            "World Cup results: rank, wins, entries, champion. A name_reset: field (nickname or username), "
            "the name that was changed because it could pass for staff. A moderation_decision: case, "
            "action (the id to appeal), action_kind, target, reason, until. A report_outcome: case, "
            "target, outcome (actioned or dismissed)."
        )
    )
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    read_at = serializers.DateTimeField(allow_null=True)


class NotificationMarkReadInputSerializer(serializers.Serializer):
    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        required=False,
        allow_null=True,
        default=None,
        max_length=500,
        help_text=_("Which notifications to mark read; all unread ones when left out."),
    )


class MarkReadOutputSerializer(serializers.Serializer):
    marked = serializers.IntegerField()


class DraftSerializer(serializers.Serializer):
    text = serializers.CharField(allow_blank=True, help_text=_("Empty when there is no draft."))
    updated_at = serializers.DateTimeField(allow_null=True)


class DraftInputSerializer(serializers.Serializer):
    text = serializers.CharField(
        allow_blank=True,
        trim_whitespace=False,
        max_length=POST_TEXT_MAX_LENGTH * 2,  # the service counts after normalizing
        help_text=_("What the post form holds; empty discards the draft."),
    )
