import markdown
import nh3
from django import template
from django.utils.safestring import mark_safe

register = template.Library()

ALLOWED_TAGS = {"p", "ul", "ol", "li", "strong", "em", "a", "br", "h3", "h4", "code", "blockquote"}


@register.filter
def agenda_html(text: str) -> str:
    """Markdown typed by an organiser, sanitised: no scripts, no styles, safe links."""
    html = markdown.markdown(text or "", extensions=["sane_lists", "nl2br"])
    return mark_safe(  # noqa: S308 - nh3 has just removed everything unsafe
        nh3.clean(html, tags=ALLOWED_TAGS, attributes={"a": {"href"}}, link_rel="noopener nofollow")
    )
