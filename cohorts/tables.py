"""The dashboard's learner table, built in Python: a cohort of a thousand learners is a table of
tens of thousands of cells, which the template language would take several times longer to draw."""

from functools import cache

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import Cohort
from .selectors import Dashboard


@cache
def _written(words: int, language: str) -> str:
    return ngettext("written, %(n)d word", "written, %(n)d words", words) % {"n": words}


def learner_rows(board: Dashboard, cohort: Cohort, language: str) -> SafeString:
    """The <tr> of every learner: escaped names, counts, and a cell per written answer."""
    not_yet, not_written, shared = _("not yet"), _("not written"), _("shared")
    rows = []
    for row in board.learners:
        url = reverse("cohorts:learner", args=[cohort.pk, row.learner.pk])
        last = date_format(localtime(row.last_active), "j M Y, H:i") if row.last_active else not_yet
        cells = format_html_join(
            "",
            "<td>{}{}</td>",
            (
                (
                    _written(words, language) if words else not_written,
                    format_html(' · <a href="{}#answer-{}">{}</a>', url, reflection_id, shared)
                    if reflection_id
                    else "",
                )
                for words, reflection_id in row.writing
            ),
        )
        rows.append(
            format_html(
                '<tr><th scope="row"><a href="{}">{}</a></th><td>{}</td><td>{}</td><td>{}</td><td>{}</td>{}</tr>',
                url,
                row.learner.display_name or row.learner.email,
                row.started,
                row.done,
                row.activities_done,
                last,
                cells,
            )
        )
    return SafeString("\n".join(rows))
