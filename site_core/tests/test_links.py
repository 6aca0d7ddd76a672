from django.urls import reverse

from site_core.links import cached_reverse, link_reverser


def test_cached_links_are_what_django_reverses():
    assert cached_reverse("community:post_detail", 7) == reverse("community:post_detail", args=[7])
    assert link_reverser()("community:profile", "dubu") == reverse("community:profile", args=["dubu"])


def test_another_root_urlconf_is_not_answered_from_the_cache(settings):
    assert cached_reverse("community:post_detail", 7) == "/posts/7/"

    settings.ROOT_URLCONF = "site_core.tests.urls_prefixed"

    assert cached_reverse("community:post_detail", 7) == "/prefixed/posts/7/"
