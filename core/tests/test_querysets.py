"""``visible_to``, one rule for every family moderators can hide: posts, comments and walks."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from community.models import Comment, Post
from community.tests.factories import CommentFactory, PostFactory
from walks.models import Walk
from walks.tests.factories import WalkFactory

pytestmark = pytest.mark.django_db


def _families(member, other_member):
    """(model, a row ``member`` owns) for each family."""
    post = PostFactory(author=member, text="오늘 산책")
    comment = CommentFactory(post=PostFactory(author=other_member, text="공원"), author=member, text="좋아요")
    return [(Post, post), (Comment, comment), (Walk, WalkFactory(host=member))]


def _seen_by(model, row, viewer) -> bool:
    return model.objects.visible_to(viewer).filter(pk=row.pk).exists()


def test_a_hidden_row_is_seen_by_its_owner_and_moderators_only(member, other_member, moderator):
    for model, row in _families(member, other_member):
        model.objects.filter(pk=row.pk).update(is_hidden=True)
        assert _seen_by(model, row, member), model
        assert _seen_by(model, row, moderator), model
        assert not _seen_by(model, row, other_member), model
        assert not _seen_by(model, row, AnonymousUser()), model


def test_a_deleted_row_is_seen_by_nobody(member, other_member, moderator):
    for model, row in _families(member, other_member):
        model.objects.filter(pk=row.pk).update(deleted_at=timezone.now())
        for viewer in (member, moderator, other_member, AnonymousUser()):
            assert not _seen_by(model, row, viewer), (model, viewer)


def test_what_is_not_hidden_is_seen_by_everyone(member, other_member, moderator):
    for model, row in _families(member, other_member):
        for viewer in (member, moderator, other_member, AnonymousUser()):
            assert _seen_by(model, row, viewer), (model, viewer)
