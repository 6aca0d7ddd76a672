"""``{{ form.media|with_nonce:request.csp_nonce }}``: form media whose inline import map may run.

Widgets such as the prose editor ship an inline ``<script type="importmap">``; the member
pages' Content-Security-Policy runs inline scripts only when they carry the request's nonce.
"""

from django import template
from js_asset import Media

register = template.Library()


@register.filter
def with_nonce(media, nonce: str):
    if isinstance(media, Media):
        return media.render(attrs={"nonce": str(nonce)})
    return media
