"""`make run`'s server (config/serve.py over the Procfile) keeps answering while hostile
clients hold connections open. Real processes over real sockets, each wait bounded."""

import os
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from config.serve import read_procfile
from testing.hostile import hostile_clients
from testing.servers import free_port, spawn, stop, wait_until_up

ROOT = Path(__file__).resolve().parent.parent.parent
PATIENCE = 3.0  # seconds: an answer slower than this under hostile clients means the server stalled


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    """A migrated SQLite database with the content imported, shared by the module's servers."""
    folder = tmp_path_factory.mktemp("serve")
    env = server_env(folder)
    for command in (["migrate", "--noinput"], ["import_modules", "content/"]):
        result = subprocess.run([sys.executable, "manage.py", *command], env=env, cwd=ROOT, capture_output=True)
        assert result.returncode == 0, result.stderr
    return folder


def server_env(data_dir: Path, **extra: str) -> dict:
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.test",
        DATA_DIR=str(data_dir),
        SECRET_KEY="s" * 50,
        WEB_CONCURRENCY="2",
        ACCESS_LOG="",
    )
    return {**env, **extra}


def serve(data_dir: Path, port: int, **extra: str) -> subprocess.Popen:
    with (data_dir / f"serve-{port}.log").open("ab") as log:
        env = server_env(data_dir, PORT=str(port), **extra)
        process = spawn([sys.executable, "-m", "config.serve"], env=env, log=log)
    wait_until_up(f"http://127.0.0.1:{port}/", process, timeout=30)
    return process


def answer_time(url: str) -> float:
    started = time.monotonic()
    with urllib.request.urlopen(url, timeout=PATIENCE + 2) as response:
        response.read()
        assert response.status == 200
    return time.monotonic() - started


def test_procfile_names_the_web_process_and_the_front():
    """The Procfile starts gunicorn and the nginx front; other processes are added as lines."""
    assert [name for name, _ in read_procfile()][:2] == ["web", "proxy"]


@pytest.mark.skipif(not shutil.which("nginx"), reason="nginx is not installed (make run and .ci/run install it)")
def test_slow_clients_do_not_stall_the_site(data_dir):
    """With 50 half-open requests, 20 slow request bodies and 10 clients that never read
    their replies all held open, a learner's page still answers at once, again and again."""
    port = free_port()
    process = serve(data_dir, port)
    url = f"http://127.0.0.1:{port}/"
    try:
        with hostile_clients(port, half_open_count=50, slow_body_count=20, non_reader_count=10):
            time.sleep(0.5)  # let the server take them all
            timings = [answer_time(url) for _ in range(5)]
        assert max(timings) < PATIENCE, timings
    finally:
        stop(process)


def test_without_nginx_it_still_serves_and_says_why_slow_clients_matter(data_dir):
    """On a machine without nginx, make run serves through gunicorn alone and warns."""
    port = free_port()
    bin_dirs = os.pathsep.join(str(folder) for folder in (Path(sys.executable).parent, "/usr/bin", "/bin"))
    if shutil.which("nginx", path=bin_dirs):
        pytest.skip("nginx is on every PATH this test can give")
    process = serve(data_dir, port, PATH=bin_dirs)
    try:
        assert answer_time(f"http://127.0.0.1:{port}/") < PATIENCE
    finally:
        stop(process)
    log = (data_dir / f"serve-{port}.log").read_text()
    assert "nginx is not installed" in log
