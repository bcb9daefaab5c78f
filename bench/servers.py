"""Servers the harness starts, as context managers that always stop them, even on failure."""

import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from testing.servers import stop, wait_until_up

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"

NGINX_STATIC = """\
{user}worker_processes auto;
pid {work}/nginx.pid;
error_log {work}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 1000000;
    client_body_temp_path {work}/client_body;
    proxy_temp_path {work}/proxy;
    fastcgi_temp_path {work}/fastcgi;
    uwsgi_temp_path {work}/uwsgi;
    scgi_temp_path {work}/scgi;
    server {{
        listen 127.0.0.1:{port};
        root {root};
        location = /module.html {{ default_type "text/html; charset=utf-8"; add_header Cache-Control no-store; }}
    }}
}}
"""


@contextmanager
def started(args: list[str], *, url: str, env: dict | None = None, log: Path) -> Iterator[subprocess.Popen]:
    with log.open("ab") as output:
        process = subprocess.Popen(args, env=env, cwd=ROOT, stdout=output, stderr=output, start_new_session=True)
    try:
        wait_until_up(url, process)
        yield process
    finally:
        stop(process)


def site(env: dict, port: int, log: Path):
    """The site as `make run` serves it (config/serve.py: nginx in front of gunicorn), without the access log."""
    env = {**env, "PORT": str(port), "ACCESS_LOG": ""}
    return started([str(PYTHON), "-m", "config.serve"], url=f"http://127.0.0.1:{port}/", env=env, log=log)


def nginx_static(root: Path, work: Path, port: int):
    """nginx serving the files in ``root``; ``work`` holds its pid, log and temp folders."""
    conf = work / "nginx.conf"
    user = "user root;\n" if os.geteuid() == 0 else ""
    conf.write_text(NGINX_STATIC.format(user=user, work=work, port=port, root=root))
    args = ["nginx", "-c", str(conf), "-p", str(work), "-g", "daemon off;"]
    return started(args, url=f"http://127.0.0.1:{port}/module.html", log=work / "nginx.out")
