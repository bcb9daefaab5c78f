"""`make run`: start every process in the Procfile, keep them together, stop them together.

``python -m config.serve`` reads ``Procfile`` (``name: command`` a line), starts each
command in its own process group with the venv's ``bin`` first on ``PATH``, and waits.
When one process exits, or on Ctrl-C or SIGTERM, it stops the others (SIGTERM, then
SIGKILL after 10 s) and exits with the first one's status.

The ``proxy`` line is nginx in front (config/nginx.conf), so slow clients never hold a
gunicorn worker: gunicorn then listens on a Unix socket in ``$DATA_DIR/run`` and nginx
on 127.0.0.1:``$PORT``, started once gunicorn accepts connections. Without nginx
installed the ``proxy`` line is skipped and gunicorn listens on the port itself,
with a warning that slow clients can stall it.
"""

import os
import re
import shlex
import shutil
import signal
import socket
import string
import subprocess
import sys
import time
from pathlib import Path

from config import env

ROOT = Path(__file__).resolve().parent.parent
PROCFILE = ROOT / "Procfile"
NGINX_TEMPLATE = Path(__file__).resolve().parent / "nginx.conf"
LINE = re.compile(r"^(?P<name>[A-Za-z0-9_-]+):\s*(?P<command>.+)$")
STOP_GRACE = 10  # seconds between SIGTERM and SIGKILL


def read_procfile(path: Path = PROCFILE) -> list[tuple[str, str]]:
    """``[(name, command)]`` in file order; blank lines and ``#`` comments are skipped."""
    entries = []
    for number, line in enumerate(path.read_text().splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = LINE.match(line.strip())
        if not match:
            raise SystemExit(f"{path}:{number}: expected 'name: command'")
        entries.append((match["name"], match["command"]))
    return entries


def front_environment(run_dir: Path, port: int) -> dict[str, str]:
    """Write nginx's configuration and say where gunicorn listens behind it."""
    web_socket = run_dir / "web.sock"
    user = "user root;\n" if os.geteuid() == 0 else ""  # as root, nginx's workers would otherwise drop to nobody
    text = NGINX_TEMPLATE.read_text()
    for name, value in {"USER": user, "RUN_DIR": str(run_dir), "SOCKET": str(web_socket), "PORT": str(port)}.items():
        text = text.replace(f"@{name}@", value)
    (run_dir / "nginx.conf").write_text(text)
    # nginx appends the client's address to X-Forwarded-For: one more trusted proxy.
    return {"BIND": f"unix:{web_socket}", "PROXY_COUNT": str(env.env_int("PROXY_COUNT", 0) + 1)}


def plan() -> tuple[list[tuple[str, list[str]]], dict[str, str]]:
    """The commands to start and their environment."""
    port = env.env_int("PORT", 8000)
    run_dir = env.data_dir() / "run"
    run_dir.mkdir(exist_ok=True)
    entries = read_procfile()
    environ = {
        **os.environ,
        "PORT": str(port),
        "RUN_DIR": str(run_dir),
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    if shutil.which("nginx"):
        environ.update(front_environment(run_dir, port))
    else:
        entries = [(name, command) for name, command in entries if name != "proxy"]
        environ["BIND"] = f"127.0.0.1:{port}"
        print(
            "serve: nginx is not installed, so gunicorn faces clients directly and a few slow ones can stall it. "
            "Install nginx (apt-get install nginx-light) for the buffering front.",
            file=sys.stderr,
        )
    commands = [(name, shlex.split(string.Template(command).safe_substitute(environ))) for name, command in entries]
    return commands, environ


def wait_for_web(bind: str, process: subprocess.Popen, timeout: float = 60) -> None:
    """Return once gunicorn accepts connections, so nginx never answers 502 while it boots."""
    if not bind.startswith("unix:"):
        return
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        with socket.socket(socket.AF_UNIX) as probe:
            try:
                probe.connect(bind.removeprefix("unix:"))
                return
            except OSError:
                time.sleep(0.1)


def stop_all(processes: dict[str, subprocess.Popen]) -> None:
    for process in processes.values():
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
    deadline = time.monotonic() + STOP_GRACE
    for process in processes.values():
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _stop_on_signal(signum, frame) -> None:
    raise SystemExit(128 + signum)


def main() -> int:
    commands, environ = plan()
    signal.signal(signal.SIGTERM, _stop_on_signal)
    signal.signal(signal.SIGINT, _stop_on_signal)
    processes: dict[str, subprocess.Popen] = {}
    try:
        for name, args in commands:
            processes[name] = subprocess.Popen(args, cwd=ROOT, env=environ, start_new_session=True)
            print(f"serve: started {name} (pid {processes[name].pid}): {shlex.join(args)}", file=sys.stderr)
            if name == "web":
                wait_for_web(environ["BIND"], processes[name])
        print(f"serve: http://127.0.0.1:{environ['PORT']}/", file=sys.stderr)
        while True:
            for name, process in processes.items():
                if process.poll() is not None:
                    print(f"serve: {name} exited with {process.returncode}; stopping the others", file=sys.stderr)
                    return process.returncode or 1
            time.sleep(0.5)
    finally:
        stop_all(processes)


if __name__ == "__main__":
    sys.exit(main())
