from django import template
from django.urls import NoReverseMatch, reverse

register = template.Library()


@register.simple_tag
def optional_url(name: str) -> str:
    """The path of a URL name, or "" when no installed app serves it: the account
    pages link to pages of optional apps (the notifications app's mail preferences)
    without depending on them."""
    try:
        return reverse(name)
    except NoReverseMatch:
        return ""
