"""The key of the cycle picture's cached SVG (templates/research_cycle/_cycle_picture.html)."""

from django import template

from research_cycle.selectors import StageView, picture_key

register = template.Library()


@register.simple_tag
def cycle_picture_key(picture: list[StageView]) -> str:
    return picture_key(picture)
