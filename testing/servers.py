"""Real server processes for tests and the benchmark: started in their own process
group, waited for, and stopped with everything they started (gunicorn's workers,
nginx's worker)."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen, timeout: float = 30) -> None:
    """Return once anything answers ``url`` over HTTP; fail if the process dies first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} exited with {process.returncode} before answering {url}")
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing answered {url} within {timeout} s")


def kill(process: subprocess.Popen) -> None:
    """SIGKILL the process group at once: a crash, not a shutdown."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=10)


def stop(process: subprocess.Popen) -> None:
    """SIGTERM the process group, then SIGKILL whatever is left after 10 s."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            kill(process)


def spawn(args: list[str], *, env: dict | None = None, log=subprocess.DEVNULL) -> subprocess.Popen:
    return subprocess.Popen(args, env=env, cwd=ROOT, stdout=log, stderr=log, start_new_session=True)


class AppServer:
    """gunicorn on its own SQLite file in ``data_dir``, with the content imported."""

    def __init__(self, data_dir: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
        self.env.update(DJANGO_SETTINGS_MODULE="config.settings.test", DATA_DIR=str(data_dir), SECRET_KEY="t" * 50)
        self.process: subprocess.Popen | None = None

    def manage(self, *args: str) -> None:
        subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=self.env, check=True, capture_output=True)

    def prepare(self, *, email: str, password: str) -> None:
        self.manage("migrate", "--noinput")
        self.manage("import_modules", "content/")
        code = f"from testing.factories import make_learner; make_learner({email!r}, {password!r})"
        self.manage("shell", "-c", code)

    def start(self) -> None:
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            "1",
        ]
        self.process = spawn(command, env=self.env)
        wait_until_up(self.url + "/", self.process, timeout=20)

    def kill(self) -> None:
        if self.process:
            kill(self.process)
