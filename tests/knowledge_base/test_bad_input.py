"""Typed input the library and the study forms must survive (found by fuzzing): a
form error or a clamped page, never a 500."""

import pytest
from django.urls import reverse

from knowledge_base.models import Study

pytestmark = pytest.mark.django_db

ABOVE_BIGINT = str(10**23)


def test_a_page_number_above_the_64_bit_range_shows_the_last_page(client, library):
    # PostgreSQL refused the OFFSET such a page gives (DataError, a 500). The API
    # answers the same page number with a 400 problem document (its schema's limit).
    response = client.get(reverse("knowledge_base:study_list"), {"page": ABOVE_BIGINT})
    assert response.status_code == 200
    assert "Leesmotivatie in het derde leerjaar" in response.content.decode()
    api = client.get(reverse("knowledge_base:api_study_list"), {"page": ABOVE_BIGINT})
    assert api.status_code == 400


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
