"""The limits on a learner's writing, and how text is measured against them.

**The unit.** Length is counted exactly as the browser's textarea counts it for
``maxlength`` and as the page's counter (``static/js/autosave.js``, ``text.length``)
does: in UTF-16 code units, each line break counting as one. A browser posts a
form's line breaks as CRLF, and Python counts code points, so the server
normalises line breaks to LF (the textarea's own value) before counting and
stores them so, and counts a character outside the Basic Multilingual Plane (most
emoji) as two. Whatever the page accepts, the server accepts, and the reverse.
"""

from django.utils.formats import number_format
from django.utils.translation import gettext as _

# The longest reflection (or planner answer) we keep: about 4,000 words, far beyond
# any prompt's needs, and small enough that every save stays fast. Enforced by the
# textarea's maxlength, the page's counter, the form and the save API.
REFLECTION_MAX_CHARS = 20_000


def normalise_line_breaks(text: str) -> str:
    """CRLF and lone CR as LF, as a textarea's value has them."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def text_length(text: str) -> int:
    """``text``'s length as a textarea's ``maxlength`` counts it: UTF-16 code units, a line break as one."""
    return len(normalise_line_breaks(text).encode("utf-16-le", "surrogatepass")) // 2


def shown(number: int) -> str:
    """A count as learners read it ('20,000' in English)."""
    return number_format(number, force_grouping=True)


# Saves and restores per learner per minute, all their answers together: an automatic
# save goes at most about once a second while they type, so twice that is never met
# by a person, and caps what a script can make the server write.
SAVES_PER_MINUTE = 120
# Text a learner may keep, in characters: every answer and every earlier version of it
# together (250 answers at the 20,000 limit; a typical learner keeps under 1% of it).
LEARNER_MAX_STORED_CHARS = 5_000_000
# Earlier versions: every sitting is kept this long, then one per day (the day's last).
VERSIONS_KEPT_WHOLE_DAYS = 90


def too_many_saves_message() -> str:
    return _(
        "More than %(limit)s saves in a minute: this one was not saved. Your text is kept; save again in a minute."
    ) % {"limit": shown(SAVES_PER_MINUTE)}


def storage_full_message() -> str:
    return _(
        "Your writing has reached the space each learner has (%(limit)s characters, earlier versions "
        "included): this was not saved. Shorten a text to make room; your last saved text is kept."
    ) % {"limit": shown(LEARNER_MAX_STORED_CHARS)}
