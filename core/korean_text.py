"""Words and times as the page's language writes them, for every template and message.

**Particles.** ``josa(word, "을")`` is the word with the particle that follows its last sound
(korean.particles) when the active language is Korean, and the word alone otherwise. A message
that puts a particle after a value passes the value through ``josa`` and its Korean text writes
nothing after the placeholder: "%(pet)s 함께한 글" with ``pet=josa(name, "와")`` reads "콩이와
함께한 글" in Korean and "Posts with 콩이" in English.

**Times.** ``ago`` ("방금", "1분 전", "2일 전", then the day), ``clock`` ("오후 11:29"), ``day``
("11월 26일 (목)", with the year when it is not this year) and ``day_clock`` (both), in Seoul
time (the site's zone). The template filters of the same names are in
core/templatetags/korean_text.py.
"""

from datetime import date, datetime, timedelta

from django.utils import dateformat, timezone
from django.utils.translation import get_language, ngettext, pgettext
from django.utils.translation import gettext_lazy as _

from korean.particles import attach

# Short weekday names: Django's Korean catalogue gives "목요일" for "Thu"; a date writes "(목)".
WEEKDAYS = [_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun")]


def is_korean() -> bool:
    return (get_language() or "ko").split("-")[0] == "ko"


def josa(word, particle: str) -> str:
    """``word`` followed by the right form of ``particle`` in Korean; ``word`` alone otherwise."""
    text = "" if word is None else str(word)
    return attach(text, particle) if is_korean() and text else text


def _local(value: datetime | date) -> datetime | date:
    if isinstance(value, datetime):
        return timezone.localtime(value) if timezone.is_aware(value) else value
    return value


def _today() -> date:
    return timezone.localdate()


def day(value: datetime | date | None, *, now: datetime | None = None) -> str:
    """ "11월 26일 (목)"; "2025년 11월 26일 (수)" in another year."""
    if value is None:
        return ""
    local = _local(value)
    this_year = (timezone.localtime(now).date() if now else _today()).year
    weekday = str(WEEKDAYS[local.weekday()])
    if local.year == this_year:
        pattern = pgettext("day of this year; date format, then (weekday)", "M j")
    else:
        pattern = pgettext("day of another year; date format, then (weekday)", "M j, Y")
    text = dateformat.format(local, pattern)
    return pgettext("day with weekday", "%(weekday)s, %(day)s") % {"day": text, "weekday": weekday}


def clock(value: datetime | None) -> str:
    """The time of day: "오후 11:29" (English: "11:29 PM")."""
    if value is None:
        return ""
    return dateformat.format(_local(value), pgettext("time of day; date format", "g:i A"))


def day_clock(value: datetime | None, *, now: datetime | None = None) -> str:
    """The day and the time of day: "11월 26일 (목) 오후 11:29"."""
    if value is None:
        return ""
    return pgettext("day then time of day", "%(day)s %(clock)s") % {
        "day": day(value, now=now),
        "clock": clock(value),
    }


def ago(value: datetime | None, *, now: datetime | None = None) -> str:
    """How long ago (or how soon) in the largest whole unit, up to a week; then the day."""
    if value is None:
        return ""
    now = now or timezone.now()
    if not isinstance(value, datetime):
        return day(value, now=now)
    seconds = (now - value).total_seconds()
    future, seconds = seconds < 0, abs(seconds)
    if seconds < 60:
        return pgettext("in a moment", "soon") if future else pgettext("a moment ago", "just now")
    if seconds >= timedelta(days=7).total_seconds():
        return day(value, now=now)
    minutes, hours, days = int(seconds // 60), int(seconds // 3600), int(seconds // 86400)
    if future:
        if hours < 1:
            return ngettext("in %(count)d minute", "in %(count)d minutes", minutes) % {"count": minutes}
        if days < 1:
            return ngettext("in %(count)d hour", "in %(count)d hours", hours) % {"count": hours}
        return ngettext("in %(count)d day", "in %(count)d days", days) % {"count": days}
    if hours < 1:
        return ngettext("%(count)d minute ago", "%(count)d minutes ago", minutes) % {"count": minutes}
    if days < 1:
        return ngettext("%(count)d hour ago", "%(count)d hours ago", hours) % {"count": hours}
    return ngettext("%(count)d day ago", "%(count)d days ago", days) % {"count": days}
