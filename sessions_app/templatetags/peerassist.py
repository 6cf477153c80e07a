"""Template filters used everywhere (registered as a builtin in settings); they only wrap
``peerassist.dates``."""

from django import template

from peerassist.dates import format_thai_date

register = template.Library()


@register.filter
def thaidate(value, arg: str = ""):
    """``{{ d|thaidate }}``, ``{{ d|thaidate:"long" }}``, ``{{ dt|thaidate:"time" }}``."""
    return format_thai_date(value, long="long" in arg, with_time="time" in arg)
