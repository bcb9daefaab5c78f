"""The dashboard's table as CSV, safe to open in a spreadsheet."""

import csv
import io

from .selectors import Dashboard

# A cell a spreadsheet would read as a formula (or that hides one after a tab or line break).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralised(value) -> str:
    """The value as text; one a spreadsheet would run as a formula is prefixed with an apostrophe."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def dashboard_csv(dashboard: Dashboard) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    header = ["name", "email", "modules started", "modules done", "activities done", "last active"]
    writer.writerow(header + [f"{column.label} (words)" for column in dashboard.columns])
    for row in dashboard.learners:
        last = row.last_active.isoformat(timespec="minutes") if row.last_active else ""
        cells = [row.learner.display_name, row.learner.email, row.started, row.done, row.activities_done, last]
        writer.writerow([neutralised(c) for c in cells + [words for words, _ in row.writing]])
    return out.getvalue()
