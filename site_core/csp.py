"""Content-Security-Policy: django-csp's middleware, with the Wagtail admin's own policy.

Member pages get ``CONTENT_SECURITY_POLICY`` (scripts only from our origin or with the
request's nonce, no inline scripts). The Wagtail admin runs inline scripts and styles of its
own, so paths under ``CONTENT_SECURITY_POLICY_ADMIN_PREFIXES`` get the looser
``CONTENT_SECURITY_POLICY_ADMIN`` instead.
"""

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings


class SitePolicyMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        is_admin = request.path_info.startswith(tuple(settings.CONTENT_SECURITY_POLICY_ADMIN_PREFIXES))
        if is_admin and not report_only and parts.config is None:
            parts.config = settings.CONTENT_SECURITY_POLICY_ADMIN["DIRECTIVES"]
        return parts
