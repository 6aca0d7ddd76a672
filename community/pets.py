"""The posts that tag a pet, for its page and API (pets/registry.py)."""

from pets.registry import TaggedPosts, register_tagged_posts

from .selectors import post_list
from .serializers import PostOutputSerializer


def pet_posts(*, viewer, pet, with_pets: bool = True):
    """Posts the viewer may see that tag this pet, newest first, as post lists show them."""
    return post_list(viewer=viewer, with_pets=with_pets).filter(pets=pet).order_by("-created_at", "-id")


register_tagged_posts(TaggedPosts(posts=pet_posts, serializer=PostOutputSerializer))
