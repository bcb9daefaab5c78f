"""The table `make bench` prints and writes into docs/benchmarks.md, and the machine it ran on."""

import os
import platform
import re
import sqlite3
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path

DOC = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"
START, END = "<!-- bench:results:start -->", "<!-- bench:results:end -->"


@dataclass
class Row:
    database: str
    scenario: str
    figures: dict  # requests_per_s, p50_ms, p99_ms, errors (from bench.run.wrk_figures)
    ratio: str = ""
    target: str = ""


def _first_line(command: list[str]) -> str:
    try:
        completed = subprocess.run(command, capture_output=True, text=True, timeout=10)
    except OSError:
        return "not installed"
    return (completed.stdout or completed.stderr).strip().splitlines()[0]


def _version_of(command: list[str]) -> str:
    """``nginx version: nginx/1.22.1`` -> ``nginx/1.22.1``; ``wrk 4.1.0 [epoll] ...`` -> ``wrk 4.1.0``."""
    return _first_line(command).removeprefix("nginx version: ").split(" [")[0]


def _cpu_model() -> str:
    text = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    match = re.search(r"^model name\s*:\s*(.+)$", text, re.MULTILINE)
    return match.group(1).strip() if match else platform.processor() or "unknown"


def _memory() -> str:
    text = Path("/proc/meminfo").read_text() if Path("/proc/meminfo").exists() else ""
    match = re.search(r"^MemTotal:\s*(\d+) kB", text, re.MULTILINE)
    return f"{int(match.group(1)) / 1024 / 1024:.1f} GiB" if match else "unknown"


def machine(postgres_version: str) -> list[tuple[str, str]]:
    return [
        ("cores (nproc)", str(os.cpu_count())),
        ("CPU", _cpu_model()),
        ("memory", _memory()),
        ("system", f"{platform.system()} {platform.release()}"),
        ("Python / Django / gunicorn", f"{platform.python_version()} / {version('django')} / {version('gunicorn')}"),
        ("SQLite / PostgreSQL", f"{sqlite3.sqlite_version} / {postgres_version}"),
        ("nginx / wrk", f"{_version_of(['nginx', '-v'])} / {_version_of(['wrk', '--version'])}"),
    ]


def _cell(figures: dict, key: str, digits: int) -> str:
    value = figures.get(key)
    return "—" if value is None else f"{value:,.{digits}f}"


def table(rows: list[Row]) -> str:
    lines = [
        "| database | scenario | requests/s | p50 ms | p99 ms | errors | ratio | target |",
        "|---|---|--:|--:|--:|--:|---|---|",
    ]
    for row in rows:
        f = row.figures
        lines.append(
            f"| {row.database} | {row.scenario} | {_cell(f, 'requests_per_s', 0)} | {_cell(f, 'p50_ms', 1)} "
            f"| {_cell(f, 'p99_ms', 1)} | {f.get('errors', '—')} | {row.ratio} | {row.target} |"
        )
    return "\n".join(lines)


def render(rows: list[Row], checks: list[tuple[str, str, str]], machine_rows: list[tuple[str, str]], setup: str) -> str:
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    parts = [f"Run of {when}. {setup}", "", "| machine | |", "|---|---|"]
    parts += [f"| {name} | {value} |" for name, value in machine_rows]
    parts += ["", table(rows), "", "| check | measured | target |", "|---|---|---|"]
    parts += [f"| {name} | {measured} | {target} |" for name, measured, target in checks]
    return "\n".join(parts)


def write_doc(results: str) -> None:
    """Replace the results between the markers in docs/benchmarks.md, keeping the prose around them."""
    text = DOC.read_text() if DOC.exists() else f"# Benchmarks\n\n{START}\n{END}\n"
    if START not in text or END not in text:
        text = f"{text.rstrip()}\n\n{START}\n{END}\n"
    before, rest = text.split(START, 1)
    after = rest.split(END, 1)[1]
    DOC.write_text(f"{before}{START}\n{results}\n{END}{after}")
