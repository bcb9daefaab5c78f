"""Two app servers behind nginx, sharing one PostgreSQL database (docs/deploy.md, in miniature).

Real processes over real HTTP: gunicorn twice with the production settings, nginx
round-robining between them. Always on PostgreSQL, in a database of its own,
whichever database the rest of the suite uses.
"""

import http.cookiejar
import json
import os
import secrets
import shutil
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest

from testing.servers import free_port, kill, spawn, wait_until_up

ROOT = Path(__file__).resolve().parent.parent.parent
BIN = Path(sys.executable).parent
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
PASSWORD = "a long and unusual passphrase"

NGINX_CONF = """\
{user}worker_processes 1;
pid {tmp}/nginx.pid;
events {{ worker_connections 256; }}
http {{
    access_log off;
    client_body_temp_path {tmp}/client_body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    upstream app {{
        server 127.0.0.1:{first} max_fails=1 fail_timeout=30s;
        server 127.0.0.1:{second} max_fails=1 fail_timeout=30s;
    }}
    server {{
        listen 127.0.0.1:{port};
        add_header X-Upstream $upstream_addr always;
        proxy_http_version 1.1;
        proxy_set_header Connection "";
        proxy_set_header Host $http_host;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_connect_timeout 2s;
        proxy_read_timeout 10s;
        location / {{
            proxy_pass http://app;
            proxy_next_upstream error timeout;
        }}
        # Saves carry a save_id and are idempotent, so a save that reached a dying
        # server may safely be sent again to the other one.
        location /api/reflections/ {{
            proxy_pass http://app;
            proxy_next_upstream error timeout non_idempotent;
        }}
    }}
}}
"""

pytestmark = pytest.mark.skipif(not shutil.which("nginx"), reason="nginx is not installed (.ci/run installs it)")


def postgres_server() -> str:
    """The suite's PostgreSQL server when it runs on one, else the local default."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        parts = urlsplit(url)
        return f"{parts.scheme}://{parts.netloc}"
    return PG_SERVER


@pytest.fixture
def database_url():
    """A PostgreSQL database of this test's own, dropped at the end."""
    import psycopg
    from psycopg import sql

    server, name = postgres_server(), f"scaleout_{secrets.token_hex(6)}"
    try:
        admin = psycopg.connect(f"{server}/postgres", autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as error:
        pytest.skip(f"PostgreSQL is not reachable at {server}: {error}")
    with admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        try:
            yield f"{server}/{name}"
        finally:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


@pytest.fixture
def app_env(tmp_path, database_url) -> dict:
    """The production settings (config.settings.local) with static files collected into tmp_path."""
    (tmp_path / "scaleout_settings.py").write_text(
        f"from config.settings.local import *  # noqa: F403\nSTATIC_ROOT = {str(tmp_path / 'static')!r}\n"
    )
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": secrets.token_urlsafe(50)}
    env.update(
        DJANGO_SETTINGS_MODULE="scaleout_settings",
        PYTHONPATH=os.pathsep.join([str(tmp_path), str(ROOT)]),
        DATA_DIR=str(tmp_path / "data"),
        WEB_CONCURRENCY="1",
        ACCESS_LOG="",
    )
    for command in (["migrate", "--noinput"], ["collectstatic", "--noinput"], ["import_modules", "content/"]):
        result = subprocess.run(
            [sys.executable, "manage.py", *command], env=env, cwd=ROOT, capture_output=True, text=True
        )
        assert result.returncode == 0, result.stdout + result.stderr
    return env


@pytest.fixture
def start(tmp_path):
    """Start a process in its own group; every one is killed at the end of the test."""
    started: list[subprocess.Popen] = []

    def start(args: list[str], port: int, env: dict | None = None) -> subprocess.Popen:
        with (tmp_path / "servers.log").open("ab") as log:
            process = spawn(args, env=env, log=log)
        started.append(process)
        wait_until_up(f"http://127.0.0.1:{port}/", process, timeout=20)
        return process

    yield start
    for process in started:
        kill(process)


@pytest.fixture
def cluster(app_env, start, tmp_path):
    """Two gunicorns and nginx in front: (proxy URL, {upstream address: gunicorn process})."""
    ports = [free_port(), free_port()]
    gunicorn = [str(BIN / "gunicorn"), "--config", "config/gunicorn.conf.py", "config.wsgi"]
    servers = {f"127.0.0.1:{port}": start(gunicorn, port, {**app_env, "PORT": str(port)}) for port in ports}
    port = free_port()
    user = "user root;\n" if os.geteuid() == 0 else ""
    conf = tmp_path / "nginx.conf"
    conf.write_text(NGINX_CONF.format(user=user, tmp=tmp_path, first=ports[0], second=ports[1], port=port))
    start(
        ["nginx", "-p", str(tmp_path), "-c", str(conf), "-e", str(tmp_path / "nginx-error.log"), "-g", "daemon off;"],
        port,
    )
    return f"http://127.0.0.1:{port}", servers


class Browser:
    """What a learner's browser keeps: cookies, and here also which server answered each request."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.upstreams: list[str] = []

    @property
    def csrf(self) -> str:
        return next(cookie.value for cookie in self.jar if cookie.name == "csrftoken")

    def get(self, path: str) -> tuple[int, str]:
        return self._send(urllib.request.Request(self.base + path))

    def post_form(self, path: str, fields: dict) -> tuple[int, str]:
        data = urlencode({**fields, "csrfmiddlewaretoken": self.csrf}).encode()
        return self._send(urllib.request.Request(self.base + path, data=data))

    def post_json(self, path: str, payload: dict) -> tuple[int, str]:
        headers = {"Content-Type": "application/json", "X-CSRFToken": self.csrf}
        return self._send(urllib.request.Request(self.base + path, data=json.dumps(payload).encode(), headers=headers))

    def _send(self, request: urllib.request.Request) -> tuple[int, str]:
        try:
            response = self.opener.open(request, timeout=10)
        except urllib.error.HTTPError as error:
            response = error
        with response:
            self.upstreams.append(response.headers.get("X-Upstream", ""))
            return response.getcode(), response.read().decode()


class Saves:
    """Automatic saves as autosave.js sends them: each names its base revision and a save_id,
    and one that gets no 200 reply is not confirmed and is sent again, unchanged."""

    def __init__(self, browser: Browser, prompt_id: int) -> None:
        self.browser, self.path = browser, f"/api/reflections/{prompt_id}/"
        self.revision = 0
        self.confirmed: list[tuple[int, str]] = []

    def save(self, number: int) -> None:
        text = f"Draft {number}. " + "They asked for a discount; the interest was a budget cycle. " * 30
        payload = {"text": text, "base_revision": self.revision, "save_id": f"save-{number}"}
        for _attempt in range(20):
            try:
                status, body = self.browser.post_json(self.path, payload)
            except OSError:
                status, body = None, ""
            assert status != 409, f"save {number} was refused as a conflict: {body}"
            if status == 200:
                self.revision = json.loads(body)["revision"]
                self.confirmed.append((self.revision, text))
                return
            time.sleep(0.1)
        raise AssertionError(f"save {number} was never confirmed")

    def stored(self) -> dict:
        status, body = self.browser.get(self.path)
        assert status == 200, body
        return json.loads(body)


def sign_up_and_open_module_one(browser: Browser) -> int:
    """Returns the id of Module 1's reflection prompt."""
    status, _ = browser.get("/accounts/signup/")
    assert status == 200
    fields = {"email": "scale@example.com", "display_name": "", "password1": PASSWORD, "password2": PASSWORD}
    status, page = browser.post_form("/accounts/signup/", fields)
    assert status == 200 and "Continue with Module 1" not in page
    status, page = browser.get("/courses/sales-blueprint/what-negotiation-actually-is/")
    assert status == 200 and "What Negotiation Actually Is" in page
    return int(page.split('action="/reflections/', 1)[1].split("/", 1)[0])


def answered_by(browser: Browser, since: int = 0) -> set[str]:
    """Every server that answered a request (after a retry nginx lists each one it tried)."""
    return {address.strip() for upstreams in browser.upstreams[since:] for address in upstreams.split(",")}


def test_learner_is_consistent_on_either_server(cluster):
    """A learner signs up, saves and completes Module 1 through nginx; both servers answer,
    and each one shows the same text, revision and progress."""
    base, servers = cluster
    browser = Browser(base)
    saves = Saves(browser, sign_up_and_open_module_one(browser))
    for number in range(1, 7):
        saves.save(number)
    readings = [saves.stored() for _ in range(4)]
    assert {(reading["revision"], reading["text"]) for reading in readings} == {saves.confirmed[-1]}
    lessons = [browser.get("/courses/sales-blueprint/what-negotiation-actually-is/")[1] for _ in range(2)]
    assert all("Draft 6. They asked for a discount" in page for page in lessons)
    assert all("Continue with Module 1" in browser.get("/")[1] for _ in range(4))
    assert browser.post_form("/courses/sales-blueprint/what-negotiation-actually-is/complete/", {})[0] == 200
    homes = [browser.get("/")[1] for _ in range(4)]
    assert all("1 of 1 module done" in page for page in homes)
    assert answered_by(browser) == set(servers)


def test_no_confirmed_save_is_lost_when_a_server_is_killed(cluster):
    """While a learner keeps saving, one server is killed (SIGKILL); every save that was
    confirmed is stored, in order, and the survivor answers the rest."""
    base, servers = cluster
    browser = Browser(base)
    saves = Saves(browser, sign_up_and_open_module_one(browser))
    stop, failures = threading.Event(), []

    def keep_saving() -> None:
        try:
            number = 1
            while not stop.is_set():
                saves.save(number)
                number += 1
        except BaseException as error:  # reported by the test below, not lost in the thread
            failures.append(error)

    saver = threading.Thread(target=keep_saving)
    saver.start()
    wait_for(lambda: len(saves.confirmed) >= 10 or failures)
    victim, survivor = list(servers)
    kill(servers[victim])
    killed_at = len(browser.upstreams)
    wait_for(lambda: len(saves.confirmed) >= 30 or failures)
    stop.set()
    saver.join(timeout=30)
    assert not failures, failures
    assert [revision for revision, _ in saves.confirmed] == list(range(1, len(saves.confirmed) + 1))
    stored = saves.stored()
    assert (stored["revision"], stored["text"]) == saves.confirmed[-1]
    assert survivor in answered_by(browser, since=killed_at)


def wait_for(condition, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)
