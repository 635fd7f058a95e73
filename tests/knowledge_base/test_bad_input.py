"""Typed input the library and the study forms must survive (found by fuzzing): a
form error or a clamped page, never a 500."""

import pytest
from django.urls import reverse

from knowledge_base.models import Study

pytestmark = pytest.mark.django_db

ABOVE_BIGINT = str(10**23)


@pytest.mark.parametrize("name", ["knowledge_base:study_list", "knowledge_base:api_study_list"])
def test_a_page_number_above_the_64_bit_range_shows_the_last_page(client, library, name):
    # PostgreSQL refused the OFFSET such a page gives (DataError, a 500).
    response = client.get(reverse(name), {"page": ABOVE_BIGINT})
    assert response.status_code == 200
    last = client.get(reverse(name), {"page": "1"})
    if name.endswith("api_study_list"):
        assert response.json()["page"] == 1 == last.json()["pages"]
        assert response.json()["results"] == last.json()["results"]
    else:
        assert "Leesmotivatie in het derde leerjaar" in response.content.decode()


def test_a_theme_id_above_the_64_bit_range_is_an_invalid_choice(client, library, network):
    # SQLite raised OverflowError for it (a 500).
    client.force_login(network.people["network_admin"])
    response = client.post(
        reverse("knowledge_base:study_create_by_hand"),
        {
            "school": network.school.pk,
            "school_year": network.school_year.pk,
            "title": "Een oude studie",
            "summary": "Uit het archief.",
            "language": "nl",
            "themes": [str(library.themes["feedback"].pk), ABOVE_BIGINT],
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert f"Selecteer een geldige keuze. {ABOVE_BIGINT} is geen beschikbare keuze." in html
    assert 'value="Een oude studie"' in html
    assert not Study.objects.filter(title="Een oude studie").exists()


@pytest.mark.parametrize("token", ["%00", "abc%00def", "é"])
def test_a_consent_address_that_cannot_hold_a_token_is_not_found(client, db, token):
    # A NUL byte reached the token lookup, which PostgreSQL refused (a 500).
    assert client.get(f"/studies/consent/{token}/").status_code == 404
