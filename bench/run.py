"""`make bench`: the platform's throughput against its limits, on SQLite and on PostgreSQL.

Everything runs on 127.0.0.1, each wrk run bounded in time. Every server the
harness starts is stopped when it ends, whether it succeeds or fails. See
docs/benchmarks.md for what is measured and why.
"""

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import pages, servers
from bench.report import Row, machine, render, write_doc
from testing.hostile import hostile_clients
from testing.servers import free_port

ROOT = servers.ROOT
WRK_DIR = ROOT / "bench" / "wrk"
PG_SERVER = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
SAVE_TARGETS = {"SQLite": 1000, "PostgreSQL": 700}
SLOW_HALF_OPEN, SLOW_BODIES = 200, 50
BENCH_SECRET = "bench-only-secret-key-shared-by-every-worker-0123456789abcdef"


def options(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per scenario (default 10)")
    parser.add_argument("--connections", type=int, default=8, help="wrk connections (default 8)")
    parser.add_argument("--learners", type=int, default=400, help="learners saving reflections (default 400)")
    parser.add_argument("--modules", type=int, default=1000, help="generated modules to import (default 1000)")
    parser.add_argument("--cohort", type=int, default=1000, help="learners in the dashboard's cohort (default 1000)")
    parser.add_argument("--databases", default="sqlite,postgres", help="comma-separated: sqlite,postgres")
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/benchmarks.md alone")
    return parser.parse_args(argv)


def manage(env: dict, *args: str) -> str:
    command = [str(servers.PYTHON), "manage.py", *args]
    completed = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, timeout=300)
    if completed.returncode:
        raise RuntimeError(f"{' '.join(args)} failed:\n{completed.stdout}{completed.stderr}")
    return completed.stdout


def postgres_database(name: str) -> tuple[str, str]:
    """(Re)create database ``name`` (always bench_*); returns its URL and the server's version."""
    import psycopg
    from psycopg import sql

    assert name.startswith("bench"), "the harness only ever touches its own databases"
    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True, connect_timeout=5) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        server_version = connection.execute("SHOW server_version").fetchone()[0]
    return f"{PG_SERVER}/{name}", server_version


def database_env(database: str, work: Path, name: str) -> dict:
    """The environment of every process for one database: bench settings, a fresh empty database."""
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env.update(DJANGO_SETTINGS_MODULE="bench.settings", SECRET_KEY=BENCH_SECRET, DATA_DIR=str(work / name))
    if database == "PostgreSQL":
        env["DATABASE_URL"], _ = postgres_database(name)
    return env


def wrk(url: str, work: Path, *, script: str, duration: int, threads: int, connections: int, **extra) -> dict:
    """One bounded wrk run; returns the figures its Lua script wrote."""
    result = work / "wrk-result.json"
    result.unlink(missing_ok=True)
    env = {**os.environ, "BENCH_RESULT": str(result), **{key.upper(): str(value) for key, value in extra.items()}}
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--timeout", "5s"]
    completed = subprocess.run(
        [*command, "-s", str(WRK_DIR / script), url], env=env, capture_output=True, text=True, timeout=duration + 60
    )
    if completed.returncode or not result.exists():
        raise RuntimeError(f"wrk failed on {url}:\n{completed.stdout}{completed.stderr}")
    return json.loads(result.read_text())


def figures(raw: dict, successes: int | None = None) -> dict:
    seconds = raw["duration_us"] / 1e6
    count = raw["requests"] if successes is None else successes
    errors = raw["errors"] + raw.get("bad_status", 0) + (raw["requests"] - count)
    return {
        "requests_per_s": count / seconds,
        "p50_ms": raw["p50_us"] / 1000,
        "p99_ms": raw["p99_us"] / 1000,
        "errors": errors,
    }


def get_scenario(url: str, work: Path, args, cookie: str = "") -> dict:
    common = {"threads": 2, "connections": args.connections, "bench_cookie": cookie}
    wrk(url, work, script="report.lua", duration=1, **common)  # warm-up, not counted
    return figures(wrk(url, work, script="report.lua", duration=args.duration, **common))


def bench_db(env: dict, *args: str) -> dict:
    """``python -m bench.db``: its last line of output is JSON."""
    command = [str(servers.PYTHON), "-m", "bench.db", *args]
    completed = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, timeout=300)
    if completed.returncode:
        raise RuntimeError(f"bench.db {' '.join(args)} failed:\n{completed.stdout}{completed.stderr}")
    lines = completed.stdout.strip().splitlines()
    return json.loads(lines[-1]) if lines else {}


def make_learners(env: dict, work: Path, count: int) -> tuple[pages.Learner, Path, str]:
    """``count`` saving learners (in a file for saves.lua) plus one reader for the page scenarios."""
    every = work / "learners.txt"
    module_url = bench_db(env, "learners", str(count + 1), str(every))["module_url"]
    reader, *savers = every.read_text().splitlines(keepends=True)
    savers_file = work / "savers.txt"
    savers_file.write_text("".join(savers))
    _, prompt_id, session, csrf = reader.split()
    return pages.Learner(session=session, csrf=csrf, prompt_id=int(prompt_id)), savers_file, module_url


def save_scenario(base: str, work: Path, env: dict, savers: Path, mode: str, args) -> tuple[dict, dict]:
    """Saves from every learner for ``args.duration`` seconds, then the database's account of them."""
    common = {"threads": args.connections, "connections": args.connections, "bench_threads": args.connections}
    raw = wrk(base + "/", work, script="saves.lua", duration=args.duration, **common,
              bench_learners=savers, bench_save_mode=mode)  # fmt: skip
    result_file = work / "saves.json"
    result_file.write_text(json.dumps(raw))
    check = bench_db(env, "verify", str(result_file))
    return figures(raw, successes=check["confirmed"]), check


def snapshot_page(url: str, reader: pages.Learner, page_file: Path) -> bytes:
    status, html = pages.fetch(url, cookie=reader.cookie)
    if status != 200:
        raise RuntimeError(f"the module page answered {status} to a signed-in learner")
    page_file.parent.mkdir(parents=True, exist_ok=True)
    page_file.write_bytes(html)
    return html


def nginx_limit(work: Path, page_file: Path, args) -> Row:
    port = free_port()
    (work / "nginx").mkdir(exist_ok=True)
    with servers.nginx_static(page_file.parent, work / "nginx", port):
        result = get_scenario(f"http://127.0.0.1:{port}/{page_file.name}", work, args)
    return Row("—", "limit: nginx, the module page's bytes as a static file", result)


def ratio(figures_: dict, limit: dict, name: str) -> str:
    return f"{figures_['requests_per_s'] / limit['requests_per_s']:.2f}× {name}"


class Run:
    """One `make bench`: its options, its scratch folder, and what it has measured so far."""

    def __init__(self, args: argparse.Namespace, work: Path) -> None:
        self.args, self.work = args, work
        self.page_file = work / "static" / "module.html"
        self.rows: list[Row] = []
        self.checks: list[tuple[str, str, str]] = []
        self.nginx: Row | None = None
        self.save_mode = ""

    def database(self, database: str) -> None:
        env = database_env(database, self.work, "bench")
        env["BENCH_PAGE_FILE"] = str(self.page_file)
        manage(env, "migrate", "--noinput")
        manage(env, "import_modules", "content/")
        reader, savers, module_path = make_learners(env, self.work, self.args.learners)
        port = free_port()
        with servers.site(env, port, self.work / f"site-{database}.log"):
            base = f"http://127.0.0.1:{port}"
            html = snapshot_page(base + module_path, reader, self.page_file)
            if self.nginx is None:
                self.nginx = nginx_limit(self.work, self.page_file, self.args)
                self.rows.append(self.nginx)
                self.weigh_page(base + module_path, html, reader)
            self.save_mode = pages.save_mode(base, reader)
            self.measure(database, base, module_path, reader, env, savers)
            self.slow_clients(database, port, base + module_path, reader)

    def measure(self, database: str, base: str, module_path: str, reader, env: dict, savers: Path) -> None:
        bare = get_scenario(base + "/bench/bare/", self.work, self.args, reader.cookie)
        floor = get_scenario(base + "/bench/floor/", self.work, self.args, reader.cookie)
        home = get_scenario(base + "/", self.work, self.args, reader.cookie)
        module = get_scenario(base + module_path, self.work, self.args, reader.cookie)
        saves, check = save_scenario(base, self.work, env, savers, self.save_mode, self.args)
        target = SAVE_TARGETS[database]
        self.rows += [
            Row(database, "limit: bare Django view, same bytes", bare, ratio(bare, self.nginx.figures, "nginx")),
            Row(database, "limit: signed-in floor (session, user, one read of their text), same bytes", floor,
                ratio(floor, bare, "bare")),
            Row(database, "course home (signed in)", home, ratio(home, floor, "floor")),
            Row(database, "module page (signed in)", module, ratio(module, floor, "floor"), "≥ 0.5× floor"),
            Row(database, f"automatic saves ({self.save_mode}), confirmed/s", saves,
                f"{check['lost']} lost of {check['confirmed']:,} confirmed",
                f"≥ {target:,}/s, p99 ≤ 50 ms, 0 errors, 0 lost"),
        ]  # fmt: skip
        if check["corrupt"]:
            self.checks.append((f"saves stored with the wrong text ({database})", str(check["corrupt"]), "0"))

    def slow_clients(self, database: str, port: int, url: str, reader) -> None:
        """The module page again while hostile clients hold connections: it must not slow down much."""
        calm = next(row.figures for row in self.rows if row.database == database and row.scenario.startswith("module"))
        with hostile_clients(port, half_open_count=SLOW_HALF_OPEN, slow_body_count=SLOW_BODIES):
            held = get_scenario(url, self.work, self.args, reader.cookie)
        share = held["requests_per_s"] / calm["requests_per_s"]
        what = f"module page, {SLOW_HALF_OPEN} half-open connections and {SLOW_BODIES} slow bodies held ({database})"
        measured = (
            f"{held['requests_per_s']:,.0f} req/s ({share:.0%} of undisturbed), p99 {held['p99_ms']:.0f} ms, "
            f"{held['errors']} errors"
        )
        self.checks.append((what, measured, "p99 < 1,000 ms, ≥ 80% of undisturbed req/s"))

    def weigh_page(self, url: str, html: bytes, reader) -> None:
        weight = pages.page_weight(url, html, reader.cookie)
        kb = {key: weight[key] / 1024 for key in ("html", "css", "js", "total", "gzipped")}
        parts = f"HTML {kb['html']:.1f} + CSS {kb['css']:.1f} + JS {kb['js']:.1f}"
        measured = f"{kb['total']:.1f} KB ({parts}); gzipped {kb['gzipped']:.1f} KB"
        self.checks.append(("module page weight, HTML+CSS+JS", measured, "≤ 30 KB"))
        third = ", ".join(weight["third_party"]) or "none"
        self.checks.append(("requests to other hosts", third, "none"))

    def imports(self, database: str) -> None:
        env = database_env(database, self.work, "bench_import")
        manage(env, "migrate", "--noinput")
        folder = self.work / "modules"
        if not folder.exists():
            bench_db(env, "modules", str(folder), str(self.args.modules))
        for attempt, target in (("first import", "≤ 10 s"), ("unchanged re-import", "≤ 3 s")):
            started = time.monotonic()
            output = manage(env, "import_modules", str(folder))
            elapsed = time.monotonic() - started
            self.checks.append(
                (
                    f"{attempt} of {self.args.modules:,} modules ({database})",
                    f"{elapsed:.1f} s — {output.strip()}",
                    target,
                )
            )

    def dashboard(self) -> None:
        """A facilitator's dashboard for a cohort of --cohort learners over 10 modules, on SQLite: each
        request timed one after another (the page is for one person, not for load)."""
        env = database_env("SQLite", self.work, "bench_cohort")
        manage(env, "migrate", "--noinput")
        folder = self.work / "cohort-modules"
        bench_db(env, "modules", str(folder), "10")
        manage(env, "import_modules", str(folder))
        made = bench_db(env, "cohort", str(self.args.cohort))
        cookie = f"sessionid={made['session']}"
        port = free_port()
        with servers.site(env, port, self.work / "site-cohort.log"):
            url = f"http://127.0.0.1:{port}{made['url']}"
            timings = []
            for _ in range(12):
                started = time.monotonic()
                status, body = pages.fetch(url, cookie=cookie)
                timings.append(time.monotonic() - started)
                if status != 200:
                    raise RuntimeError(f"the dashboard answered {status}")
        timings = sorted(timings[2:])  # the first two warm the process
        median, worst = timings[len(timings) // 2] * 1000, timings[-1] * 1000
        measured = f"median {median:.0f} ms, slowest {worst:.0f} ms ({len(body) / 1024:.0f} KB)"
        what = f"facilitator's dashboard, {self.args.cohort:,} learners × {made['modules']} modules (SQLite)"
        self.checks.append((what, measured, "≤ 300 ms"))


def postgres_version() -> str:
    try:
        import psycopg

        with psycopg.connect(f"{PG_SERVER}/postgres", connect_timeout=5) as connection:
            return connection.execute("SHOW server_version").fetchone()[0]
    except Exception as error:  # any failure means "not measured", and the table says so
        return f"not reachable ({type(error).__name__})"


def _interrupted(signum, frame) -> None:
    raise SystemExit(128 + signum)  # unwinds through every `with`, which stops the servers


def main(argv: list[str] | None = None) -> None:
    args = options(sys.argv[1:] if argv is None else argv)
    signal.signal(signal.SIGTERM, _interrupted)
    databases = [{"sqlite": "SQLite", "postgres": "PostgreSQL"}[name] for name in args.databases.split(",")]
    pg_version = postgres_version() if "PostgreSQL" in databases else "not measured"
    if "not reachable" in pg_version:
        print(f"PostgreSQL at {PG_SERVER} is {pg_version}: measuring SQLite only.", file=sys.stderr)
        databases.remove("PostgreSQL")
    started, load_before = time.monotonic(), os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="bench-") as folder:
        run = Run(args, Path(folder))
        manage(database_env("SQLite", run.work, "static"), "collectstatic", "--noinput", "--verbosity", "0")
        for database in databases:
            print(f"== {database}", file=sys.stderr)
            run.database(database)
            run.imports(database)
        if "SQLite" in databases:
            print("== the facilitator's dashboard", file=sys.stderr)
            run.dashboard()
    setup = (
        f"wrk on the same machine, {args.duration} s per scenario after a 1 s warm-up, {args.connections} connections; "
        f"served as `make run` serves (config/serve.py: nginx in front of gunicorn, {os.cpu_count()} workers); "
        f"{args.learners} learners saving through the {run.save_mode} endpoint. "
        f"Whole run: {time.monotonic() - started:.0f} s; load average "
        f"{load_before:.1f} before it, {os.getloadavg()[0]:.1f} after (anything above 0 is other work on the machine)."
    )
    results = render(run.rows, run.checks, machine(pg_version), setup)
    print(results)
    if not args.no_write:
        write_doc(results)


if __name__ == "__main__":
    main()
