"""The API's throttle: per client address, trusted proxies honoured, a JSON
429 with Retry-After."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_a_minute(settings):
    settings.LINEAGE_API_RATE = "3/minute"
    settings.TRUSTED_PROXIES = ["10.0.0.1"]


def test_the_request_after_the_limit_answers_429_with_retry_after(
    client, three_a_minute
):
    for _ in range(3):
        assert client.get("/api/pages/").status_code == 200
    response = client.get("/api/pages/")
    assert response.status_code == 429
    assert response["Content-Type"] == "application/json"
    assert response["Retry-After"] == "60"
    assert response.json() == {
        "error": "throttled",
        "detail": "Request was throttled. Expected available in 60 seconds.",
    }
    # Another address has its own count.
    assert client.get("/api/pages/", REMOTE_ADDR="192.0.2.9").status_code == 200


def test_behind_a_trusted_proxy_each_client_is_counted_apart(client, three_a_minute):
    def through_proxy(client_address):
        return client.get(
            "/api/sources/",
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR=client_address,
        ).status_code

    assert [through_proxy("198.51.100.1") for _ in range(4)] == [200, 200, 200, 429]
    assert through_proxy("198.51.100.2") == 200


def test_a_forged_forwarded_for_from_an_untrusted_address_counts_as_that_address(
    client, three_a_minute
):
    statuses = [
        client.get(
            "/api/sources/",
            REMOTE_ADDR="192.0.2.50",
            HTTP_X_FORWARDED_FOR=f"203.0.113.{n}",
        ).status_code
        for n in range(4)
    ]
    assert statuses == [200, 200, 200, 429]
