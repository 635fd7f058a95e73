from django import template

from schools.models import Role, RoleMembership

register = template.Library()

OVERSEEING_ROLES = [Role.BRIDGE_BUILDER, Role.PROCESS_FACILITATOR, Role.SCHOOL_LEADER]


@register.simple_tag(takes_context=True)
def shows_oversight_link(context) -> bool:
    """Whether the navigation links to the oversight pages: for bridge-builders,
    process facilitators and school leaders of the current year, and network admins.
    At most one query per request."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    if not hasattr(request, "_shows_oversight_link"):
        request._shows_oversight_link = RoleMembership.objects.filter(
            user=user, school_year__is_current=True, role__in=OVERSEEING_ROLES
        ).exists()
    return request._shows_oversight_link
