"""The settings in production: what the environment turns on and off.

Each case imports ``wiki.settings`` afresh in a subprocess with the given
environment, as gunicorn would.
"""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {"DJANGO_DEBUG": "false", "DJANGO_SECRET_KEY": "a-production-key"}
SHOW = """
import json
from wiki import settings as s
print(json.dumps({
    "secret_key": s.SECRET_KEY,
    "session_secure": s.SESSION_COOKIE_SECURE,
    "csrf_secure": s.CSRF_COOKIE_SECURE,
    "ssl_redirect": s.SECURE_SSL_REDIRECT,
    "hsts": [
        s.SECURE_HSTS_SECONDS,
        s.SECURE_HSTS_INCLUDE_SUBDOMAINS,
        s.SECURE_HSTS_PRELOAD,
    ],
    "trusted_proxies": s.TRUSTED_PROXIES,
    "databases": {
        alias: {
            "conn_max_age": db["CONN_MAX_AGE"],
            "health_checks": db["CONN_HEALTH_CHECKS"],
            "name": db["NAME"],
            "mirror": db.get("TEST", {}).get("MIRROR"),
        }
        for alias, db in s.DATABASES.items()
    },
    "replicas": s.LINEAGE_DATABASE_REPLICAS,
    "routers": getattr(s, "DATABASE_ROUTERS", []),
    "static_storage": s.STORAGES["staticfiles"]["BACKEND"],
    "static_root": str(s.STATIC_ROOT),
}))
"""


def settings_with(tmp_path, **variables):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "LINEAGE_"))
    }
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    env.update(variables)
    result = subprocess.run(
        [sys.executable, "-c", SHOW],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:
        raise RuntimeError(result.stderr.strip().splitlines()[-1])
    return json.loads(result.stdout)


def test_production_marks_cookies_secure_and_keeps_checked_connections(tmp_path):
    settings = settings_with(tmp_path, **PRODUCTION)

    assert (settings["session_secure"], settings["csrf_secure"]) == (True, True)
    assert settings["databases"]["default"]["conn_max_age"] == 600
    assert settings["databases"]["default"]["health_checks"] is True
    assert settings["static_storage"] == (
        "whitenoise.storage.CompressedManifestStaticFilesStorage"
    )
    assert settings["routers"] == []


def test_production_is_https_only_behind_its_proxy(tmp_path):
    settings = settings_with(tmp_path, **PRODUCTION)

    assert settings["ssl_redirect"] is True
    assert settings["hsts"] == [31536000, True, True]
    assert settings["trusted_proxies"] == ["127.0.0.1", "::1"]


def test_a_plain_http_rehearsal_turns_https_off(tmp_path):
    settings = settings_with(tmp_path, **PRODUCTION, DJANGO_HTTPS="false")

    assert (settings["session_secure"], settings["csrf_secure"]) == (False, False)
    assert settings["ssl_redirect"] is False
    assert settings["hsts"] == [0, True, True]


def test_each_https_setting_comes_from_the_environment(tmp_path):
    settings = settings_with(
        tmp_path,
        **PRODUCTION,
        DJANGO_SECURE_COOKIES="false",
        DJANGO_SSL_REDIRECT="false",
        DJANGO_HSTS_SECONDS="600",
        DJANGO_HSTS_INCLUDE_SUBDOMAINS="false",
        DJANGO_HSTS_PRELOAD="false",
        DJANGO_TRUSTED_PROXIES="10.0.0.0/8, 192.0.2.1",
    )

    assert (settings["session_secure"], settings["csrf_secure"]) == (False, False)
    assert settings["ssl_redirect"] is False
    assert settings["hsts"] == [600, False, False]
    assert settings["trusted_proxies"] == ["10.0.0.0/8", "192.0.2.1"]


def _check_deploy(tmp_path, **variables):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "LINEAGE_"))
    }
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY="k3y-" + "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMN",
        DJANGO_ALLOWED_HOSTS="lineage.example",
        **variables,
    )
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_check_deploy_passes_at_warning_level_with_the_production_defaults(tmp_path):
    result = _check_deploy(tmp_path)

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_check_deploy_names_what_a_plain_http_rehearsal_lacks(tmp_path):
    result = _check_deploy(tmp_path, DJANGO_HTTPS="false")

    assert result.returncode == 1
    assert sorted(re.findall(r"\(security\.(W\d+)\)", result.stderr)) == [
        "W004",
        "W008",
        "W012",
        "W016",
    ]


def test_development_keeps_no_connection_open(tmp_path):
    settings = settings_with(tmp_path)

    assert settings["databases"]["default"]["conn_max_age"] == 0
    assert (settings["session_secure"], settings["csrf_secure"]) == (False, False)


def test_the_connection_age_and_static_root_come_from_the_environment(tmp_path):
    settings = settings_with(
        tmp_path,
        **PRODUCTION,
        DJANGO_CONN_MAX_AGE="30",
        DJANGO_STATIC_ROOT=str(tmp_path / "static"),
    )

    assert settings["databases"]["default"]["conn_max_age"] == 30
    assert settings["static_root"] == str(tmp_path / "static")


def test_the_secret_key_may_come_from_a_file(tmp_path):
    key_file = tmp_path / "secret_key"
    key_file.write_text("a-key-from-a-file\n")

    settings = settings_with(
        tmp_path, DJANGO_DEBUG="false", DJANGO_SECRET_KEY_FILE=str(key_file)
    )

    assert settings["secret_key"] == "a-key-from-a-file"


def test_production_without_a_secret_key_refuses_to_start(tmp_path):
    with pytest.raises(RuntimeError, match="DJANGO_SECRET_KEY must be set"):
        settings_with(tmp_path, DJANGO_DEBUG="false")


def test_replica_urls_add_replica_aliases_and_the_router(tmp_path):
    settings = settings_with(
        tmp_path,
        **PRODUCTION,
        DATABASE_REPLICA_URLS=(
            "postgres://reader@replica-a/lineage, postgres://reader@replica-b/lineage"
        ),
    )

    assert settings["replicas"] == ["replica_1", "replica_2"]
    assert settings["routers"] == ["wiki.db_router.PrimaryReplicaRouter"]
    replica = settings["databases"]["replica_2"]
    assert replica == {
        "conn_max_age": 600,
        "health_checks": True,
        "name": "lineage",
        "mirror": "default",
    }
