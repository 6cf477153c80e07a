"""``{% load privacy %}``: what the privacy notice needs from settings, so the notice
can be included on any page without its view knowing."""

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def retention_years() -> int:
    """Years personal data is kept after the session; 0: until the organisers erase it."""
    return settings.RETENTION_YEARS
