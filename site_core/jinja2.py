"""The Jinja2 environment for the hot partials: the post cards every feed, profile, hashtag, pet and
search page repeats twenty times.

Jinja2 compiles a template to Python code; Django's template language resolves every variable
through its generic lookup at render time, and a post card cost about 1,900 function calls in it
(half of a feed page's work). Pages stay Django templates; they render the cards through the tags in
``community.templatetags.community_tags``. Autoescaping is on (Django's Jinja2 backend default);
member text reaches the markup only escaped or through ``linkify``, which escapes it itself.

Strings are translated with Django's catalogue: ``_("…")`` inside ``{{ }}`` is found by
``makemessages`` like in Django templates; plurals come from Python helpers below.
"""

from django.contrib.humanize.templatetags.humanize import naturaltime
from django.template.defaultfilters import date, linebreaksbr
from django.utils import translation
from django.utils.translation import ngettext
from jinja2 import Environment

from community.text import linkify
from site_core.links import cached_reverse


def comment_count_label(count: int) -> str:
    return ngettext("%(counter)s comment", "%(counter)s comments", count) % {"counter": count}


def environment(**options) -> Environment:
    options.pop("autoescape", None)  # always on, whatever the backend passes
    env = Environment(autoescape=True, extensions=["jinja2.ext.i18n"], **options)
    env.install_gettext_callables(translation.gettext, translation.ngettext, newstyle=True)
    env.globals.update(url=cached_reverse, comment_count_label=comment_count_label)
    env.filters.update(date=date, linebreaksbr=linebreaksbr, linkify=linkify, naturaltime=naturaltime)
    return env
