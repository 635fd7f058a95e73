from django import template
from django.utils.formats import localize
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

from ..models import Study

register = template.Library()


@register.inclusion_tag("knowledge_base/_awaiting_review.html", takes_context=True)
def studies_awaiting_review(context):
    """A dashboard card: the studies waiting for this person's review (nothing
    when there are none)."""
    user = context["request"].user
    studies = list(
        Study.objects.awaiting_review_by(user)
        .select_related("school", "school_year")
        .order_by("updated_at")[:10]
    )
    return {"studies": studies}


FACET_OPTION = (
    '<div class="form-check">'
    '<input class="form-check-input" type="checkbox" name="{0}" value="{1}" id="facet-{0}-{2}"{3}>'
    '<label class="form-check-label" for="facet-{0}-{2}">{4} '
    '<span class="text-body-secondary">({5})</span></label></div>'
)


@register.simple_tag
def facet_options(name, values):
    """The labelled checkboxes of one facet of the library search. A page has
    about fifty; built here in one pass (escaped by format_html) rather than node
    by node in the template, which was a third of the page's rendering time."""
    checked = mark_safe(" checked")  # noqa: S308 - a constant
    return format_html_join(
        "",
        FACET_OPTION,
        (
            (name, facet.value, number, checked if facet.selected else "", facet.label,
             localize(facet.count))
            for number, facet in enumerate(values, start=1)
        ),
    )  # fmt: skip
