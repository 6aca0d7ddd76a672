from django import template
from django.template import engines
from django.template.backends.utils import csrf_input
from django.utils.safestring import SafeString, mark_safe

from community.text import linkify as linkify_text

register = template.Library()


@register.filter
def linkify(text: str):
    """Escaped member text with #hashtags, @mentions and web links turned into links."""
    return linkify_text(text or "")


def _render_jinja(name: str, context, **values) -> SafeString:
    """Renders one of the Jinja2 partials (site_core/jinja2.py) inside a Django template.

    The CSRF field is made once for all the forms of the partial, as ``{% csrf_token %}`` does
    within one Django template (the Jinja2 backend would mask a new token for every form).
    """
    request, user = context.get("request"), context.get("user")
    values.update(request=request, user=user)
    if request is not None and user is not None and user.is_authenticated:
        values["csrf_input"] = csrf_input(request)
    html = engines["jinja2"].get_template(name).template.render(values)
    return mark_safe(html)  # noqa: S308 - Jinja2 autoescaped everything it did not get as safe HTML


@register.simple_tag(takes_context=True)
def post_cards(context, posts) -> SafeString:
    return _render_jinja("community/post_cards.html", context, posts=posts)


@register.simple_tag(takes_context=True)
def post_card(context, post) -> SafeString:
    return _render_jinja("community/post_card.html", context, post=post)


@register.simple_tag(takes_context=True)
def like_button(context, post) -> SafeString:
    return _render_jinja("community/like_button.html", context, post=post)
