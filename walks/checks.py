"""System checks of the map settings (``MAP_TILE_URL``, ``MAP_TILE_ATTRIBUTION``)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks

PLACEHOLDERS = ("{z}", "{x}", "{y}")


@checks.register(checks.Tags.security)
def check_map_tiles(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    url = settings.MAP_TILE_URL
    if not url:
        return []
    errors = []
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or "{s}" in parts.netloc:
        errors.append(
            checks.Error(
                "MAP_TILE_URL must be an http(s) URL on one host.",
                hint="Such as https://tiles.example.com/{z}/{x}/{y}.png (no {s} subdomains: the CSP "
                "allows exactly one tile host).",
                id="walks.E001",
            )
        )
    if not all(placeholder in url for placeholder in PLACEHOLDERS):
        errors.append(checks.Error("MAP_TILE_URL must contain {z}, {x} and {y}.", id="walks.E002"))
    if not settings.MAP_TILE_ATTRIBUTION:
        errors.append(
            checks.Error(
                "MAP_TILE_URL is set but MAP_TILE_ATTRIBUTION is empty.",
                hint="Tile servers' terms ask for their attribution under the map.",
                id="walks.E003",
            )
        )
    return errors


@checks.register(checks.Tags.security, deploy=True)
def check_map_tiles_https(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    url = settings.MAP_TILE_URL
    if url and urlsplit(url).scheme != "https":
        return [
            checks.Error(
                "MAP_TILE_URL must be https in production.",
                hint="Browsers block or flag plain-http images on an https page.",
                id="walks.E004",
            )
        ]
    return []
