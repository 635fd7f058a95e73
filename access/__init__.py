"""The access layer: who may see and do what, written once.

- ``access.roles``: the role building blocks (who holds which role where, in which
  school year; the network admin).
- ``access.shortcuts``: the one enforcement path of a view (``object_for``,
  ``require``): outsiders 404, people who may only look 403.
- Each app's ``permissions.py`` builds its ``visible_to(user)`` queryset and its
  ``rules`` predicates from the blocks; views check those, services trust their
  caller (see "Access layer" in README.md).
"""
