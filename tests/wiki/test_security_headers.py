"""The security headers every response carries, pages and static files alike,
and what https turns on (redirect, HSTS)."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), "
    "geolocation=(), gyroscope=(), hid=(), magnetometer=(), microphone=(), "
    "midi=(), payment=(), publickey-credentials-get=(), screen-wake-lock=(), "
    "serial=(), usb=(), xr-spatial-tracking=(), browsing-topics=()"
)
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; "
    "img-src 'self' https://upload.wikimedia.org; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
EVERY_RESPONSE = {
    "Permissions-Policy": PERMISSIONS_POLICY,
    "Content-Security-Policy": CSP,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}


@pytest.fixture
def client(settings):
    """A client of a server that serves static files from the source folders
    (WhiteNoise with finders, as under DEBUG), the way it serves collected ones."""
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    return Client()


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/", 200),
        ("/no-such-page/", 404),
        ("/accounts/login/", 200),
        ("/static/css/lineage.css", 200),
        ("/static/js/suggest.js", 200),
    ],
)
def test_every_response_carries_the_security_headers(client, path, status):
    response = client.get(path)
    response.close()  # a static file's is a file
    assert response.status_code == status
    assert {name: response.get(name) for name in EVERY_RESPONSE} == EVERY_RESPONSE


def test_static_files_allow_no_other_origin(client):
    response = client.get("/static/css/lineage.css", HTTP_ORIGIN="https://evil.example")
    response.close()
    assert response.status_code == 200
    assert "Access-Control-Allow-Origin" not in response


def test_refused_requests_carry_the_headers_too(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("poster", password="x"))
    response = client.post("/people/new/", {"themes-TOTAL_FORMS": "100000"})
    assert response.status_code == 400
    assert response["Permissions-Policy"] == PERMISSIONS_POLICY
    assert response["Content-Security-Policy"] == CSP


def test_plain_http_is_redirected_to_https(settings):
    settings.SECURE_SSL_REDIRECT = True
    response = Client().get("/people/?letter=A")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/people/?letter=A"


def test_https_responses_carry_hsts_with_subdomains_and_preload(settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    client = Client()
    assert (
        client.get("/", secure=True)["Strict-Transport-Security"]
        == "max-age=31536000; includeSubDomains; preload"
    )
    assert "Strict-Transport-Security" not in client.get("/")
