"""Particles and times in templates: ``{{ pet.name|josa:"와" }}``, ``{{ post.created_at|ago }}``,
``{{ message.created_at|clock }}``, ``{{ walk.start_at|day }}``, ``{{ until|day_clock }}``
(core/korean_text.py)."""

from django import template

from core import korean_text

register = template.Library()


@register.filter
def josa(word, particle: str) -> str:
    return korean_text.josa(word, particle)


@register.filter
def ago(value) -> str:
    return korean_text.ago(value)


@register.filter
def clock(value) -> str:
    return korean_text.clock(value)


@register.filter
def day(value) -> str:
    return korean_text.day(value)


@register.filter
def day_clock(value) -> str:
    return korean_text.day_clock(value)
