"""Permission checks without two queries on every page.

Django loads a member's user and group permissions from the database once per request
(`has_perm` in feeds, `perms` in the header). They change rarely, so they are cached; any
change to group membership or to a group's or member's permissions bumps a version that
every cached set is keyed by. A cache outage only costs the queries again.
"""

from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache

VERSION_KEY = "accounts:permissions-version"
CACHE_SECONDS = 600


def permissions_version() -> int:
    return cache.get_or_set(VERSION_KEY, 1, None) or 1


def bump_permissions_version(**kwargs) -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 2, None)


class CachedPermissionsBackend(ModelBackend):
    def _cached(self, user_obj, kind: str, load):
        if not user_obj.is_active or user_obj.is_anonymous:
            return set()
        # date_joined tells a member apart from a later one who might reuse a deleted member's id.
        joined = user_obj.date_joined.timestamp()
        key = f"accounts:perms:{kind}:{user_obj.pk}:{joined}:{permissions_version()}"
        permissions = cache.get(key)
        if permissions is None:
            permissions = load(user_obj)
            cache.set(key, permissions, CACHE_SECONDS)
        return permissions

    def get_user_permissions(self, user_obj, obj=None):
        if obj is not None:
            return set()
        return self._cached(user_obj, "user", super().get_user_permissions)

    def get_group_permissions(self, user_obj, obj=None):
        if obj is not None:
            return set()
        return self._cached(user_obj, "group", super().get_group_permissions)
