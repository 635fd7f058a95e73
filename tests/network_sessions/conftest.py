import datetime
import zoneinfo

import pytest

from network_sessions.services import session_create

BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")


def brussels(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=BRUSSELS)


@pytest.fixture
def plan(network):
    """Plan a session through the service; the organiser defaults to the
    bridge-builder and the audience to every coach and bridge-builder."""

    def _plan(**overrides):
        starts_at = overrides.pop("starts_at", None) or brussels(2025, 11, 20, 14, 0)
        fields = {
            "organiser": network.people["bridge_builder"],
            "kind": "learning_network",
            "title": "Lerend netwerk november",
            "starts_at": starts_at,
            "ends_at": starts_at + datetime.timedelta(hours=3),
            "location": "VUB Campus Etterbeek",
            "agenda": "- Welkom\n- Data verzamelen",
        }
        fields.update(overrides)
        if not any(key.startswith("audience_") for key in overrides):
            fields["audience_roles"] = ["coach", "bridge_builder"]
        return session_create(**fields)

    return _plan
