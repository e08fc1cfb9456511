"""The production shape, scaled out: two app servers, a task worker, Redis and
one PostgreSQL database, each a real process.

Two gunicorn servers (A and B, DEBUG off, hashed static files) share the
test's PostgreSQL database, a Redis server (``CACHE_URL``: cache and sessions)
and a ``db_worker`` (``LINEAGE_TASKS=database``).  A moderator logs in through
A and renames a page through A's edit form; B, whose cache was warmed before,
shows the change at once, and the page linking to it once the worker has
re-rendered it.

There is no read replica here (both servers read the one database): what a
replica that lags behind does to the page cache (its readers get the page as
it has it, and nothing of it is cached until it catches up) is tested in
tests/wiki/test_lagging_replica.py.
"""

import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from http.client import HTTPConnection, HTTPResponse
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit, urlunsplit

import pytest
import redis
from django.contrib.auth.models import Group
from django.db import connection

from tests.factories import UserFactory
from tests.forms import form_data
from tests.processes import Processes, free_port, wait_for_port
from wiki.models import Page, RelatedPage, Theme
from wiki.roles import MODERATORS, ensure_roles
from wiki.services import page_publish

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent
PASSWORD = "scale-out-password-1"  # noqa: S105
WORKER_TIMEOUT = 60

# The servers' settings: the site's (with the test apps, whose tables the test
# database has), static files collected into the test's own directory, the
# page cache on, and the test's fast password hasher accepted for the
# moderator made here.
SETTINGS = """\
from pathlib import Path

from tests.settings import *  # noqa: F403

STATIC_ROOT = Path({static_root!r})
LINEAGE_PAGE_CACHE = True  # on, as in production (the suite turns it off)
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.MD5PasswordHasher",
]
"""


def missing(what: str) -> None:
    """A missing program: a failure in CI, a skip elsewhere."""
    if os.environ.get("CI"):
        pytest.fail(f"{what} is missing (make test installs it)")
    pytest.skip(f"{what} is missing")


def database_url() -> str:
    """DATABASE_URL for the other processes: the test's own database, on the
    server (and with the options) that DATABASE_URL names."""
    url = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(url._replace(path="/" + quote(connection.settings_dict["NAME"])))


class Browser:
    """One person's cookies, sent to any of the servers, as a browser keeps
    them for one host (cookies do not depend on the port)."""

    def __init__(self, processes: Processes):
        self.processes = processes
        self.cookies: dict[str, str] = {}

    def request(
        self, port: int, method: str, path: str, data: dict | None = None
    ) -> tuple[HTTPResponse, str]:
        headers = {}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urlencode(data, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"http://127.0.0.1:{port}"
            headers["Referer"] = f"http://127.0.0.1:{port}{path}"
        client = HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            client.request(method, path, body=body, headers=headers)
            response = client.getresponse()
            content = response.read().decode()
        finally:
            client.close()
        assert response.status < 500, f"{method} {path}:\n{self.processes.logs()}"
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response, content

    def get(self, port: int, path: str) -> tuple[HTTPResponse, str]:
        return self.request(port, "GET", path)

    def post(self, port: int, path: str, data: dict) -> tuple[HTTPResponse, str]:
        return self.request(port, "POST", path, data)


@pytest.fixture
def site(tmp_path) -> Iterator[dict]:
    """Redis, a task worker and app servers A and B on the test's database."""
    redis_server = shutil.which("redis-server")
    if redis_server is None:
        missing("redis-server")
    gunicorn = VENV_BIN / "gunicorn"
    if not gunicorn.exists():
        missing("gunicorn")

    settings_dir = tmp_path / "settings"
    settings_dir.mkdir()
    (settings_dir / "scale_out_settings.py").write_text(
        SETTINGS.format(static_root=str(tmp_path / "static"))
    )
    redis_port, port_a, port_b = free_port(), free_port(), free_port()
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(settings_dir), str(ROOT)]),
        "DJANGO_SETTINGS_MODULE": "scale_out_settings",
        "DJANGO_DEBUG": "false",
        "DJANGO_HTTPS": "false",  # plain http on loopback
        "DJANGO_SECRET_KEY": "scale-out-test-secret-key-" + "x" * 40,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": database_url(),
        "CACHE_URL": f"redis://127.0.0.1:{redis_port}/0",
        "LINEAGE_TASKS": "database",
    }
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=120,
    )
    processes = Processes(tmp_path)
    try:
        redis_dir = tmp_path / "redis"
        redis_dir.mkdir()
        processes.start(
            "redis",
            [
                redis_server,
                "--port",
                str(redis_port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(redis_dir),
            ],
            env,
        )
        wait_for_port(redis_port, processes, "redis-server")
        processes.start(
            "worker",
            [
                sys.executable,
                "manage.py",
                "db_worker",
                "--no-reload",
                "--no-startup-delay",
                "--interval",
                "0.1",
                "--queue-name",
                "*",
            ],
            env,
        )
        for name, port in (("server-a", port_a), ("server-b", port_b)):
            processes.start(
                name,
                [
                    str(gunicorn),
                    "wiki.wsgi:application",
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--workers",
                    "1",
                    "--no-control-socket",
                    "--access-logfile",
                    "-",
                ],
                env,
            )
        for name, port in (("server A", port_a), ("server B", port_b)):
            wait_for_port(port, processes, name)
        yield {"a": port_a, "b": port_b, "redis": redis_port, "processes": processes}
        processes.check_alive()
    finally:
        processes.stop_all()


@pytest.fixture
def pages(transactional_db) -> dict:
    """A theme to rename, a theme linking to it (by its old title and its new
    one, still red) and listing it as related, and a moderator."""
    ensure_roles()
    moderator = UserFactory(username="mod")
    moderator.set_password(PASSWORD)
    moderator.save()
    moderator.groups.add(Group.objects.get(name=MODERATORS))
    target = Theme(title="Old Title", slug="old-title", body="The renamed page.")
    page_publish(page=target, user=moderator, summary="Create")
    linking = Theme(
        title="Linking", slug="linking", body="See [[Old Title]] and [[New Title]]."
    )

    def related():
        RelatedPage.objects.create(page=linking, target=target)

    page_publish(page=linking, user=moderator, summary="Create", save_related=related)
    return {"target": target, "linking": linking}


def body_links(content: str) -> list[tuple[str, str, str]]:
    """The wikilinks of a page's text: (class, href, text)."""
    found = []
    for attributes, text in re.findall(r"<a ([^>]*)>([^<]+)</a>", content):
        attrs = dict(re.findall(r'([\w-]+)="([^"]*)"', attributes))
        if attrs.get("class", "").startswith("wikilink"):
            found.append((attrs["class"], attrs["href"], text))
    return found


def related_links(content: str) -> list[tuple[str, str]]:
    section = re.search(
        r'<section class="navigation".*?</section>\s*</section>', content, re.S
    )
    assert section, "no navigation on the page"
    return re.findall(r'<li><a href="([^"]+)">([^<]+)</a>', section.group(0))


def h1(content: str) -> str:
    return re.search(r"<h1[^>]*>(.*?)</h1>", content, re.S).group(1).strip()


def test_a_rename_published_through_one_server_shows_at_once_through_the_other(
    pages, site
):
    a, b = site["a"], site["b"]
    reader, editor = Browser(site["processes"]), Browser(site["processes"])

    # B serves both pages to anonymous readers first, so it has them cached.
    for path in ("/themes/old-title/", "/themes/linking/"):
        response, _ = reader.get(b, path)
        assert (response.status, response.getheader("X-Cache")) == (200, "miss")
    response, old_target = reader.get(b, "/themes/old-title/")
    assert (response.status, response.getheader("X-Cache")) == (200, "hit")
    response, old_linking = reader.get(b, "/themes/linking/")
    assert (response.status, response.getheader("X-Cache")) == (200, "hit")
    assert h1(old_target) == "Old Title"
    assert body_links(old_linking) == [
        ("wikilink", "/themes/old-title/", "Old Title"),
        ("wikilink wikilink-missing", "/go/?title=New+Title", "New Title"),
    ]
    assert related_links(old_linking) == [("/themes/old-title/", "Old Title")]

    # The moderator logs in through A (a real form, with its CSRF token).
    response, login_page = editor.get(a, "/accounts/login/")
    assert response.status == 200
    login = form_data(login_page, None)
    login.update(username=["mod"], password=[PASSWORD])
    response, _ = editor.post(a, "/accounts/login/", login)
    assert response.status == 302, response.status
    # The session made on A is in Redis, and good on B.
    session = editor.cookies["sessionid"]
    assert [
        key.decode() for key in redis.Redis(port=site["redis"]).scan_iter(f"*{session}")
    ] == [f":1:django.contrib.sessions.cached_db{session}"]
    response, content = editor.get(b, "/themes/linking/")
    assert (response.status, response.getheader("X-Cache")) == (200, None)
    assert '<a href="/users/mod/" title="Your page' in content
    assert "Log out" in content

    # The moderator renames the page through A's edit form.
    response, edit_page = editor.get(a, "/themes/old-title/edit/")
    assert response.status == 200
    edit = form_data(edit_page, "edit-form")
    edit.update(
        {
            "title": ["New Title"],
            "slug": ["new-title"],
            "edit-summary": ["Rename"],
        }
    )
    response, content = editor.post(a, "/themes/old-title/edit/", edit)
    assert response.status == 302, content[:3000]
    assert response.getheader("Location") == "/themes/new-title/"

    # At once, through B: the page under its new name, a redirect from the
    # old one, and the new title on the page that lists it as related.
    response, new_target = reader.get(b, "/themes/new-title/")
    assert response.status == 200
    assert h1(new_target) == "New Title"
    response, _ = reader.get(b, "/themes/old-title/")
    assert response.status == 301
    assert response.getheader("Location") == "/themes/new-title/"
    response, linking_now = reader.get(b, "/themes/linking/")
    assert response.status == 200
    assert related_links(linking_now) == [("/themes/new-title/", "New Title")]

    # The linking page's text is re-rendered by the worker, not the request.
    deadline = time.monotonic() + WORKER_TIMEOUT
    expected = [
        ("wikilink wikilink-missing", "/go/?title=Old+Title", "Old Title"),
        ("wikilink", "/themes/new-title/", "New Title"),
    ]
    while True:
        site["processes"].check_alive()
        response, content = reader.get(b, "/themes/linking/")
        assert response.status == 200
        if body_links(content) == expected or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert body_links(content) == expected, site["processes"].logs()
    from django_tasks_db.models import DBTaskResult

    done = DBTaskResult.objects.filter(
        task_path="wiki.services.rerender_pages_linking_to_task",
        status="SUCCESSFUL",
    )
    assert [
        row.args_kwargs["kwargs"]["except_id"]
        for row in done.filter(args_kwargs__kwargs__names__contains=["new title"])
    ] == [pages["target"].pk]
    assert all(row.worker_ids for row in done)
    # What links here, on the renamed page, through B.
    response, content = reader.get(b, "/themes/new-title/")
    assert "/themes/linking/" in content
    assert Page.objects.get(pk=pages["target"].pk).title == "New Title"
