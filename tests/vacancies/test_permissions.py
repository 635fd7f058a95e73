"""Permission matrix of the vacancy board: persona × URL × method → status.

Everyone with a role this school year sees every open vacancy, anonymous visitors
only the public ones; the school leader of the school and admins post, change and
withdraw (others who see the vacancy get 403); expired and withdrawn vacancies are
404 for everyone but them."""

import pytest

from tests.conftest import CONTINUUM_PERSONAS, PERSONAS
from vacancies.models import Vacancy

from .conftest import valid_post

pytestmark = pytest.mark.django_db

ALL = [*PERSONAS, *CONTINUUM_PERSONAS, "anonymous"]
LOGIN = 302
MANAGERS = {"school_leader", "network_admin"}


def everyone(status: int, anonymous: int | None = None) -> dict:
    return dict.fromkeys(ALL, status) | {"anonymous": status if anonymous is None else anonymous}


def managers(status: int, others: int, anonymous: int = LOGIN) -> dict:
    return {p: (status if p in MANAGERS else others) for p in ALL} | {"anonymous": anonymous}


MATRIX = [
    ("GET", "/vacancies/", None, everyone(200)),
    ("GET", "/vacancies/feed/", None, everyone(200)),
    ("GET", "/vacancies/?level=primary&city=Anderlecht&page=2", None, everyone(200)),
    ("GET", "/vacancies/{public}/", None, everyone(200)),
    ("GET", "/vacancies/{internal}/", None, everyone(200, anonymous=404)),
    ("GET", "/vacancies/{elsewhere}/", None, everyone(200, anonymous=404)),
    ("GET", "/vacancies/{expired}/", None, managers(200, 404, anonymous=404)),
    ("GET", "/vacancies/{withdrawn}/", None, managers(200, 404, anonymous=404)),
    ("GET", "/vacancies/new/", None, managers(200, 403)),
    ("POST", "/vacancies/new/", "valid", managers(302, 403)),
    ("GET", "/vacancies/school/", None, managers(200, 403)),
    ("GET", "/vacancies/{internal}/edit/", None, managers(200, 403)),
    ("POST", "/vacancies/{internal}/edit/", "valid", managers(302, 403)),
    ("GET", "/vacancies/{expired}/edit/", None, managers(200, 404)),
    ("GET", "/vacancies/{expired}/again/", None, managers(200, 404)),
    ("POST", "/vacancies/{expired}/again/", "valid", managers(302, 404)),
    ("GET", "/vacancies/{withdrawn}/again/", None, managers(200, 404)),
    ("POST", "/vacancies/{internal}/withdraw/", {}, managers(302, 403)),
    ("POST", "/vacancies/{expired}/withdraw/", {}, managers(302, 404)),
    # The other school's vacancy: its school leader is not ours (only the admin).
    ("GET", "/vacancies/{elsewhere}/edit/", None, managers(200, 403) | {"school_leader": 403}),
    ("POST", "/vacancies/{elsewhere}/withdraw/", {}, managers(302, 403) | {"school_leader": 403}),
]


@pytest.mark.parametrize("persona", ALL)
@pytest.mark.parametrize(
    ("method", "url", "data", "expected"),
    MATRIX,
    ids=[f"{m} {u}" for m, u, _d, _e in MATRIX],
)
def test_permission_matrix(client, network, vacancies, persona, method, url, data, expected):
    path = url.format(**{key: vacancy.pk for key, vacancy in vacancies.items()})
    if persona != "anonymous":
        client.force_login(network.people[persona])
    if data == "valid":
        data = valid_post(network.school)
    before = Vacancy.objects.count()
    response = client.get(path) if method == "GET" else client.post(path, data)
    assert response.status_code == expected[persona], f"{persona} {method} {path}"
    if method == "POST" and expected[persona] != 302 or persona == "anonymous":
        assert Vacancy.objects.count() == before


def test_a_school_leader_posts_only_for_the_school_they_lead(client, network):
    client.force_login(network.people["school_leader"])
    response = client.get("/vacancies/new/")
    assert list(response.context["form"].fields["school"].queryset) == [network.school]
    response = client.post("/vacancies/new/", valid_post(network.other_school))
    assert response.status_code == 200
    assert "school" in response.context["form"].errors
    assert not Vacancy.objects.exists()


def test_withdrawing_takes_the_vacancy_off_the_board(client, network, vacancies):
    internal = vacancies["internal"]
    client.force_login(network.people["school_leader"])
    client.post(f"/vacancies/{internal.pk}/withdraw/")
    client.force_login(network.people["student_teacher"])
    assert client.get(f"/vacancies/{internal.pk}/").status_code == 404
    assert "Interne vacature" not in client.get("/vacancies/").content.decode()
    client.force_login(network.people["school_leader"])
    assert "Interne vacature" in client.get("/vacancies/school/").content.decode()
