"""Who may change what a school shows in public: its school leader and coaches in
the current school year (the school's contact points), and the network admin.

| persona                                   | public page | change its settings |
|-------------------------------------------|-------------|---------------------|
| anyone, anonymous included                | yes         | no                  |
| school leader or coach of the school      | yes         | yes                 |
| network admin                             | yes         | yes                 |
"""

import rules

from access.roles import AnyUser, is_network_admin, is_signed_in, memberships

from .models import Role, School


@rules.predicate
def speaks_for_school(user: AnyUser, school: School) -> bool:
    if not is_signed_in(user):
        return False
    if is_network_admin(user):
        return True
    return (
        memberships(user, [Role.SCHOOL_LEADER, Role.COACH], school=school)
        .filter(school_year__is_current=True)
        .exists()
    )


rules.add_perm("schools.change_publicity", speaks_for_school)
