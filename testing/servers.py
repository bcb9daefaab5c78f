"""A real app server process that a test can kill and start again."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from testing.factories import ROOT


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


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
        # Its own process group, so killing it takes the workers down with the master.
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=self.env, stderr=subprocess.DEVNULL, start_new_session=True
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(self.url + "/", timeout=1)
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("the app server did not start")

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
