"""A NUL character in an address is a 400 before any view looks it up."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "address",
    [
        "/people/?theme=%00",
        "/organizations/?organization=a%00",
        "/works/?type=%00",
        "/go/?title=Ada%00",
        "/themes/?letter=%00",
        "/changes/?user=%00&since=2020-01-01",
        "/changes/feed/?kind%00=work",
        "/users/%00/",
        "/sources/a%00b/",
    ],
)
def test_a_nul_character_in_the_address_is_a_400(client, address):
    response = client.get(address)
    assert response.status_code == 400
    assert response.content.decode() == (
        "This address contains a NUL character (%00), which no page has."
    )


def test_other_characters_still_reach_the_views(client):
    assert client.get("/people/?theme=%01").status_code == 200
    assert client.get("/users/%01/").status_code == 404
