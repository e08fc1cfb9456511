"""The production shape, run for real: gunicorn with deploy/gunicorn.conf.py
(DEBUG off, collected static files, JSON access log), and deploy/nginx.conf in
front of two such app servers when nginx is installed (`make test` installs
it as root, as it does Chromium).

The servers run on a SQLite database of their own, migrated and seeded once
for the module; the test database is not involved.
"""

import contextlib
import http.cookiejar
import json
import os
import re
import signal
import socket
import string
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

# One test process builds the site and starts the servers for all of these
# (with `pytest -n N --dist loadgroup`; plain `--dist load` may build it twice).
pytestmark = pytest.mark.xdist_group("deploy")

ROOT = Path(__file__).resolve().parent.parent
NGINX = Path("/usr/sbin/nginx")
PROFILE = "/people/alec-radford/"
ACCESS_FIELDS = {"time", "method", "path", "status", "bytes", "duration_ms", "user"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """Environment of a production site: a seeded database, collected static
    files, the demo accounts."""
    root = tmp_path_factory.mktemp("site")
    root.chmod(0o755)  # nginx's workers read the static files as another user
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "wiki.settings",
        "DATABASE_URL": f"sqlite:///{root / 'lineage.sqlite3'}",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "test-deploy-only",
        # Plain http on loopback: no Secure cookies, no redirect to https.
        "DJANGO_HTTPS": "false",
        "DJANGO_STATIC_ROOT": str(root / "static"),
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "PYTHONWARNINGS": "ignore",
    }
    env.pop("DATABASE_REPLICA_URLS", None)
    manage = [sys.executable, "manage.py"]
    # Compressing the static files (gzip and Brotli, the admin's too) is the
    # slowest step: it runs beside the database's.
    collect = subprocess.Popen(
        [*manage, "collectstatic", "--no-input"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        for command in (["migrate", "--no-input"], ["load_seed"]):
            subprocess.run(
                [*manage, *command], cwd=ROOT, env=env, check=True, capture_output=True
            )
    finally:
        _, errors = collect.communicate(timeout=600)
    assert collect.returncode == 0, errors.decode()[-3000:]
    subprocess.run(
        [*manage, "create_demo_accounts"],
        cwd=ROOT,
        env={**env, "DJANGO_DEBUG": "true"},
        check=True,
        capture_output=True,
    )
    return {"root": root, "env": env}


class AppServer:
    def __init__(self, site, name: str):
        self.address = f"127.0.0.1:{free_port()}"
        self.access_log = site["root"] / f"{name}-access.log"
        self.error_log = site["root"] / f"{name}-error.log"
        self.env = {
            **site["env"],
            "GUNICORN_BIND": self.address,
            "GUNICORN_WORKERS": "1",
        }
        self.start()

    def start(self) -> None:
        with open(self.access_log, "a") as out, open(self.error_log, "a") as err:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py"],
                cwd=ROOT,
                env=self.env,
                stdout=out,
                stderr=err,
            )
        wait_for(f"http://{self.address}/robots.txt", self.process, self.error_log)

    def lines(self) -> list[str]:
        return self.access_log.read_text().splitlines()

    def settled(self) -> int:
        """The number of lines, once the last request's line is written
        (gunicorn writes it after sending the response)."""
        time.sleep(0.3)
        return len(self.lines())

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def wait_for(url: str, process, log: Path, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"server exited: {log.read_text()[-3000:]}")
        with contextlib.suppress(OSError):
            urllib.request.urlopen(url, timeout=2).read()
            return
        time.sleep(0.2)
    process.kill()
    process.wait()
    pytest.fail(f"no answer from {url}: {log.read_text()[-3000:]}")


@pytest.fixture(scope="module")
def app(site):
    server = AppServer(site, "app1")
    try:
        yield server
    finally:
        server.stop()


def fetch(url: str, headers: dict | None = None, opener=None):
    """(status, headers, body) of a GET, whatever the status."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        response = (opener or urllib.request.build_opener()).open(request, timeout=30)
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.headers, error.read()
    with response:
        return response.status, response.headers, response.read()


def new_lines(server: AppServer, before: int) -> list[dict]:
    # gunicorn writes the line after sending the response: wait for it.
    deadline = time.monotonic() + 5
    while len(server.lines()) == before and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.2)
    return [json.loads(line) for line in server.lines()[before:]]


def test_a_request_writes_exactly_one_json_access_line(app):
    before = app.settled()

    status, _, body = fetch(f"http://{app.address}{PROFILE}")

    assert status == 200
    [line] = new_lines(app, before)
    assert line.keys() >= ACCESS_FIELDS
    assert line["method"] == "GET"
    assert line["path"] == PROFILE
    assert line["status"] == 200
    assert line["bytes"] == len(body)
    assert line["duration_ms"] > 0
    assert line["user"] == "anonymous"
    assert "remote_addr" not in line
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00", line["time"])


def test_a_logged_in_reader_is_logged_as_such_and_not_named(app):
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    login = f"http://{app.address}/accounts/login/"
    _, _, form = fetch(login, opener=opener)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', form)[1]
    data = urllib.parse.urlencode(
        {
            "csrfmiddlewaretoken": token.decode(),
            "username": "moderator",
            "password": "lineage-moderator",
        }
    ).encode()
    with opener.open(
        urllib.request.Request(login, data=data, headers={"Referer": login})
    ) as response:
        assert response.status == 200  # followed the redirect home
        assert b"Log out" in response.read()
    before = app.settled()

    status, _, _ = fetch(f"http://{app.address}{PROFILE}", opener=opener)

    assert status == 200
    [line] = new_lines(app, before)
    assert line["user"] == "logged-in"
    assert "moderator" not in json.dumps(line)


def test_the_production_server_shows_no_debug_page(app):
    status, _, body = fetch(f"http://{app.address}/no-such-section/at-all/")

    assert status == 404
    assert b"URLconf" not in body
    assert b"DEBUG = True" not in body


def test_static_files_are_hashed_compressed_and_cached_for_ever(app):
    _, _, page = fetch(f"http://{app.address}{PROFILE}")
    [css] = set(re.findall(rb"/static/css/lineage\.[0-9a-f]{12}\.css", page))
    url = f"http://{app.address}{css.decode()}"

    for accepted, encoding in (("br, gzip", "br"), ("gzip", "gzip")):
        before = app.settled()
        status, headers, body = fetch(url, {"Accept-Encoding": accepted})
        assert status == 200
        assert headers["Content-Encoding"] == encoding
        assert headers["Cache-Control"] == "max-age=315360000, public, immutable"
        [line] = new_lines(app, before)
        assert (line["path"], line["bytes"]) == (css.decode(), len(body))


def render_nginx_conf(run_dir: Path, listen: int, upstreams, static_root) -> Path:
    template = string.Template((ROOT / "deploy" / "nginx.conf").read_text())
    values = {
        "LINEAGE_LISTEN": f"127.0.0.1:{listen}",
        "LINEAGE_UPSTREAMS": " ".join(f"server {u.address};" for u in upstreams),
        "LINEAGE_STATIC_ROOT": str(static_root),
        "LINEAGE_NGINX_RUN_DIR": str(run_dir),
    }
    text = template.safe_substitute(values)
    assert not [
        line
        for line in text.splitlines()
        if "${" in line and not line.lstrip().startswith("#")
    ]
    path = run_dir / "nginx.conf"
    path.write_text(text)
    return path


@pytest.fixture(scope="module")
def proxy(site, app):
    if not NGINX.exists():
        pytest.skip("nginx is not installed (make test installs it as root)")
    second = AppServer(site, "app2")
    try:
        run_dir = site["root"] / "nginx"
        run_dir.mkdir()
        run_dir.chmod(0o777)
        port = free_port()
        static_root = site["env"]["DJANGO_STATIC_ROOT"]
        conf = render_nginx_conf(run_dir, port, [app, second], static_root)
        directives = "daemon off; master_process on;"
        if os.geteuid() == 0:
            directives += " user root;"
        command = [str(NGINX), "-c", str(conf), "-g", directives]
        check = subprocess.run([*command, "-t"], capture_output=True, text=True)
        assert check.returncode == 0, check.stderr
        process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        try:
            wait_for(
                f"http://127.0.0.1:{port}/robots.txt", process, run_dir / "error.log"
            )
            yield {"url": f"http://127.0.0.1:{port}", "apps": [app, second]}
        finally:
            process.send_signal(signal.SIGQUIT)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
    finally:
        second.stop()


def test_nginx_serves_pages_from_both_app_servers(proxy):
    app1, app2 = proxy["apps"]
    before = (app1.settled(), app2.settled())

    statuses = [fetch(proxy["url"] + PROFILE)[0] for _ in range(6)]

    assert statuses == [200] * 6
    served = (app1.settled() - before[0], app2.settled() - before[1])
    # Round robin, kept by each nginx worker process on its own: both servers
    # answer, however the connections fell on the workers.
    assert sum(served) == 6
    assert min(served) >= 1


def test_nginx_compresses_pages_and_tells_the_app_the_client_scheme(proxy):
    status, headers, _ = fetch(proxy["url"] + PROFILE, {"Accept-Encoding": "gzip"})

    assert status == 200
    assert headers["Content-Encoding"] == "gzip"
    assert "default-src 'self'" in headers["Content-Security-Policy"]


def test_nginx_serves_static_files_itself_precompressed_and_immutable(proxy):
    app1, app2 = proxy["apps"]
    _, _, page = fetch(proxy["url"] + PROFILE)
    [css] = set(re.findall(rb"/static/css/lineage\.[0-9a-f]{12}\.css", page))
    before = (app1.settled(), app2.settled())

    status, headers, body = fetch(
        proxy["url"] + css.decode(), {"Accept-Encoding": "gzip"}
    )
    plain_status, plain_headers, _ = fetch(proxy["url"] + "/static/css/lineage.css")

    assert status == 200
    assert headers["Content-Encoding"] == "gzip"
    assert headers["Cache-Control"] == "public, max-age=315360000, immutable"
    assert headers["Content-Type"] == "text/css"
    assert body[:2] == b"\x1f\x8b"
    assert plain_status == 200
    assert plain_headers["Cache-Control"] == "public, max-age=3600"
    assert (app1.settled(), app2.settled()) == before


def test_a_session_cookie_bypasses_the_micro_cache(proxy):
    _, headers, _ = fetch(proxy["url"] + PROFILE, {"Cookie": "sessionid=abc"})

    assert headers["X-Cache-Status"] == "BYPASS"


def test_with_one_app_server_down_every_page_still_answers(proxy):
    app1, app2 = proxy["apps"]
    app2.stop()
    try:
        before = app1.settled()

        statuses = [fetch(proxy["url"] + PROFILE)[0] for _ in range(4)]

        assert statuses == [200] * 4
        assert app1.settled() - before == 4
    finally:
        app2.start()
