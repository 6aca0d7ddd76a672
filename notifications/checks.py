"""``check --deploy``: Web Push's settings (notifications/push.py), when push is configured."""

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def check_web_push(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    from .push import is_loopback
    from .vapid import vapid_key_problems

    public, private = settings.WEB_PUSH_VAPID_PUBLIC_KEY, settings.WEB_PUSH_VAPID_PRIVATE_KEY
    if not public and not private:
        return []
    errors = [
        checks.Error(
            problem, hint="Make a pair with notifications.vapid.generate_vapid_keys().", id="petrasche.E201"
        )
        for problem in vapid_key_problems(public, private)
    ]
    if not settings.WEB_PUSH_CONTACT.startswith(("mailto:", "https://")):
        errors.append(
            checks.Error(
                "WEB_PUSH_CONTACT must be a mailto: or https: address push services can reach us at.",
                id="petrasche.E202",
            )
        )
    local = [host for host in settings.WEB_PUSH_ALLOWED_HOSTS if is_loopback(host.lower())]
    if settings.WEB_PUSH_LOOPBACK_HTTP or local:
        errors.append(
            checks.Error(
                "Web Push may post to this machine (WEB_PUSH_LOOPBACK_HTTP or a loopback host in "
                "WEB_PUSH_ALLOWED_HOSTS): that is for the tests only.",
                id="petrasche.E203",
            )
        )
    return errors
