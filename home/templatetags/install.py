"""Adding Petrasche to the home screen: which way the visitor's browser offers it."""

import re

from django import template

register = template.Library()

IOS = re.compile(r"\b(iPhone|iPad|iPod)\b")


@register.simple_tag(takes_context=True)
def install_way(context) -> str:
    """``"ios"`` on iPhones and iPads, whose browsers add a site to the home screen only from the
    Share menu (we show how); ``"prompt"`` elsewhere, where a browser that can install fires
    ``beforeinstallprompt`` and static/js/install.js shows our button."""
    request = context.get("request")
    agent = request.headers.get("User-Agent", "") if request is not None else ""
    return "ios" if IOS.search(agent) else "prompt"
