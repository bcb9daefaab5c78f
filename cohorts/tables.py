"""The dashboard's learner table, built in Python: a cohort of a thousand learners is a table of
tens of thousands of cells, which the template language (or ``format_html`` per cell) would take
several times longer to draw. Every text is escaped once: learner names per row, the few distinct
cell labels once per page."""

from functools import cache

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import SafeString
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import Cohort
from .selectors import Dashboard


def learner_rows(board: Dashboard, cohort: Cohort) -> SafeString:
    """The <tr> of every learner: escaped names, counts, and a cell per written answer."""

    @cache
    def written(words: int) -> str:
        if not words:
            return escape(_("not written"))
        return escape(ngettext("written, %(n)d word", "written, %(n)d words", words) % {"n": words})

    @cache
    def day(value) -> str:
        return escape(date_format(value, "j M Y"))

    shared = escape(_("shared"))
    not_yet = escape(_("not yet"))
    # Every learner's page address is this prefix and their id (one reverse() instead of a thousand).
    prefix = reverse("cohorts:learner", args=[cohort.pk, 0]).removesuffix("0/")
    rows = []
    for row in board.learners:
        url = f"{prefix}{row.learner.pk}/"
        last = day(localtime(row.last_active).date()) if row.last_active else not_yet
        cells = "".join(
            f'<td>{written(words)} · <a href="{url}#answer-{reflection_id}">{shared}</a></td>'
            if reflection_id
            else f"<td>{written(words)}</td>"
            for words, reflection_id in row.writing
        )
        name = escape(row.learner.display_name or row.learner.email)
        rows.append(
            f'<tr><th scope="row"><a href="{url}">{name}</a></th><td>{row.started}</td><td>{row.done}</td>'
            f"<td>{row.activities_done}</td><td>{last}</td>{cells}</tr>"
        )
    return SafeString("\n".join(rows))  # noqa: S704 - every piece above is escaped or a number
