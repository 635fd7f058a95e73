from django import template

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
