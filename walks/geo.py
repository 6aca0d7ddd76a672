"""Walks near a point, and links to Korean map services.

Distances are measured from each walk's *public* point (snapped to ``PUBLIC_GRID``), never from
the exact one: sorting or a radius on exact points would let anyone narrow a walk's meeting
point down by searching around it. A bounding box on the indexed latitude/longitude (walk_lat_lng),
widened by half a grid cell, picks the candidates before the haversine formula orders them; the
functions used (radians, sin, cos, asin, sqrt, round) exist on PostgreSQL and, through Django,
on SQLite.
"""

import math
from urllib.parse import quote, urlencode

from django.db.models import F, QuerySet, Value
from django.db.models.functions import ASin, Cos, Least, Power, Radians, Round, Sin, Sqrt

from .models import PUBLIC_GRID

EARTH_RADIUS_KM = 6371.0088
KM_PER_DEGREE = 111.195
DEFAULT_RADIUS_KM = 5
MAX_RADIUS_KM = 50


def _snapped(field: str):
    return Round(F(field) / Value(PUBLIC_GRID)) * Value(PUBLIC_GRID)


def haversine_km(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """The great-circle distance in km (Python twin of ``near``'s SQL, for tests and labels)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    a = (
        math.sin((phi2 - phi1) / 2) ** 2
        + math.cos(phi1) * math.cos(phi2) * math.sin(math.radians(lng2 - lng1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def near(walks: QuerySet, *, latitude: float, longitude: float, radius_km: float) -> QuerySet:
    """``walks`` whose public point lies within ``radius_km`` of the point, nearest first, with
    ``distance_km`` annotated (all in the one query)."""
    lat_margin = radius_km / KM_PER_DEGREE + PUBLIC_GRID
    # A degree of longitude shrinks with the cosine of the latitude; near the poles take them all.
    cos_lat = math.cos(math.radians(min(abs(latitude) + lat_margin, 90.0)))
    lng_margin = 180.0 if cos_lat < 0.01 else radius_km / (KM_PER_DEGREE * cos_lat) + PUBLIC_GRID
    boxed = walks.filter(
        latitude__gte=latitude - lat_margin,
        latitude__lte=latitude + lat_margin,
        longitude__gte=longitude - lng_margin,
        longitude__lte=longitude + lng_margin,
    )
    phi = math.radians(latitude)
    lat2, lng2 = Radians(_snapped("latitude")), Radians(_snapped("longitude"))
    half_chord = Power(Sin((lat2 - Value(phi)) / Value(2.0)), Value(2.0)) + Value(math.cos(phi)) * Cos(
        lat2
    ) * Power(Sin((lng2 - Value(math.radians(longitude))) / Value(2.0)), Value(2.0))
    distance = Value(2 * EARTH_RADIUS_KM) * ASin(Least(Value(1.0), Sqrt(half_chord)))
    return (
        boxed.annotate(distance_km=distance)
        .filter(distance_km__lte=radius_km)
        .order_by("distance_km", "start_at", "id")
    )


def kakao_map_url(*, label: str, latitude: float, longitude: float) -> str:
    """Kakao Map with a pin at the point (its documented link format)."""
    return f"https://map.kakao.com/link/map/{quote(label, safe='')},{latitude},{longitude}"


def naver_map_url(*, latitude: float, longitude: float) -> str:
    """NAVER Map centred on the point."""
    return "https://map.naver.com/p?" + urlencode({"c": f"{longitude},{latitude},16,0,0,0,dh"})
