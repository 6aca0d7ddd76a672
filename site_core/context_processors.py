from django.conf import settings


def site_navigation(request):
    """What the base layout needs on every page."""
    return {
        "kakao_login_enabled": bool(settings.KAKAO_CLIENT_ID),
    }
