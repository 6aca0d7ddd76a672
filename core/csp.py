"""Content-Security-Policy: django-csp's middleware, with the Wagtail admin's own policy.

Member pages get ``CONTENT_SECURITY_POLICY`` (scripts only from our origin or with the
request's nonce, no inline scripts). The Wagtail admin runs inline scripts and styles of its
own, so paths under ``CONTENT_SECURITY_POLICY_ADMIN_PREFIXES`` get the looser
``CONTENT_SECURITY_POLICY_ADMIN`` instead. When ``MAP_TILE_URL`` is set, member pages may load
images from that tile server's origin, and from no other map host.
"""

from urllib.parse import urlsplit

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings


def tile_origin() -> str | None:
    """The origin (scheme://host[:port]) of ``MAP_TILE_URL``, or None when no tiles are set."""
    url = urlsplit(settings.MAP_TILE_URL or "")
    if not url.scheme or not url.netloc:
        return None
    return f"{url.scheme}://{url.netloc}"


class SitePolicyMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        is_admin = request.path_info.startswith(tuple(settings.CONTENT_SECURITY_POLICY_ADMIN_PREFIXES))
        if is_admin and not report_only and parts.config is None:
            parts.config = settings.CONTENT_SECURITY_POLICY_ADMIN["DIRECTIVES"]
        origin = tile_origin()
        if origin and not is_admin:
            update = dict(parts.update or {})
            update["img-src"] = [*update.get("img-src", []), origin]
            parts.update = update
        return parts
