"""The posts that tag a pet, for its page and the pet posts API.

Posts are community's, and community sits above pets: it registers them from its own ``pets.py``
(imported by ``PetsConfig.ready``) with ``register_tagged_posts()``.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import QuerySet
from rest_framework.serializers import BaseSerializer


@dataclass(frozen=True)
class TaggedPosts:
    # (viewer=, pet=, with_pets=): the posts tagging the pet that the viewer may see, newest
    # first, as post lists show them (with_pets=False skips the tagged pets' query).
    posts: Callable[..., QuerySet]
    # How the API shows one post.
    serializer: type[BaseSerializer]


_tagged_posts: TaggedPosts | None = None


def register_tagged_posts(contributed: TaggedPosts) -> None:
    global _tagged_posts
    _tagged_posts = contributed


def tagged_posts() -> TaggedPosts:
    if _tagged_posts is None:
        raise LookupError("no app registered the posts that tag pets (community/pets.py does)")
    return _tagged_posts
