"""A real Learning Record Store for the xAPI tests: ralph (``ralph-malph``) with its file-system backend.

Run as ``python -m testing.lrs PORT``, it serves ralph's own LRS application (what ``ralph runserver
--backend fs`` serves) on 127.0.0.1:PORT, with one difference: ralph 5.1's file-system backend
*creates* its statements file and refuses every later write ("already exists and overwrite is not
allowed"), so an LRS that took one POST answers 500 to the next. Appending instead of creating makes
it an LRS that keeps taking statements; everything else (validation, basic auth, the duplicate-id
check, GET /xAPI/statements) is ralph's. It also runs without ``runserver``'s reload watcher.

:class:`RalphLRS` starts it in a temporary folder with a basic-auth account made by ``ralph auth``
(RALPH_AUTH_FILE), stops and restarts it on the same port and data (an outage), and reads back what
it stored.
"""

import base64
import json
import os
import subprocess
import sys
import urllib.request
from pathlib import Path

from testing.servers import ROOT, free_port, stop, wait_until_up

USERNAME, PASSWORD = "platform", "lrs-test-secret"


class RalphLRS:
    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.port = free_port()
        self.process: subprocess.Popen | None = None
        self.env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "RALPH_AUTH_FILE": str(directory / "auth.json"),
            "RALPH_RUNSERVER_BACKEND": "fs",
            "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH": str(directory / "statements"),
        }
        ralph = Path(sys.executable).parent / "ralph"
        account = ["-A", USERNAME, "https://lrs.example"]
        command = [str(ralph), "auth", "-u", USERNAME, "-p", PASSWORD, "-s", "all", *account, "-w"]
        subprocess.run(command, env=self.env, cwd=directory, check=True, capture_output=True, timeout=60)

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}/xAPI"

    def start(self) -> None:
        args = [sys.executable, "-m", "testing.lrs", str(self.port)]
        with (self.directory / "ralph.log").open("a") as log:  # the server keeps its own copy of the file
            self.process = subprocess.Popen(
                args, env=self.env, cwd=self.directory, stdout=log, stderr=log, start_new_session=True
            )
        wait_until_up(f"http://127.0.0.1:{self.port}/__heartbeat__", self.process, timeout=60)

    def stop(self) -> None:
        if self.process is not None:
            stop(self.process)
            self.process = None

    def statements(self) -> list[dict]:
        """Every statement the LRS stored, oldest first (GET /xAPI/statements, following ``more``)."""
        found, path = [], "/xAPI/statements?limit=100&ascending=true"
        credentials = base64.b64encode(f"{USERNAME}:{PASSWORD}".encode()).decode()
        while path:
            request = urllib.request.Request(
                f"http://127.0.0.1:{self.port}{path}",
                headers={"Authorization": f"Basic {credentials}", "X-Experience-API-Version": "1.0.3"},
            )
            with urllib.request.urlopen(request, timeout=10) as response:
                page = json.load(response)
            found += page["statements"]
            path = page.get("more") or ""
        return found


def serve(port: int) -> None:
    import uvicorn
    from ralph.backends.data.base import BaseOperationType
    from ralph.backends.lrs.fs import FSLRSBackend

    FSLRSBackend.default_operation_type = BaseOperationType.APPEND
    uvicorn.run("ralph.api:app", host="127.0.0.1", port=port, log_level="warning")


if __name__ == "__main__":
    serve(int(sys.argv[1]))
