"""Text as people read it in tables and reports, and users' text made safe (no heavy imports).

Names, titles and notes come from users' files. In a report they are text, never markup:
:func:`md_text` escapes them for Markdown (no raw HTML, no emphasis, links or headings
made by a name, no line break that would start a heading) and :func:`html_text` for HTML.
"""

from __future__ import annotations

import html
import re

_MD_SPECIAL = re.compile(r"([\\`*_\[\]{}#+!|~])")
_LINE_BREAKS = re.compile(r"[\r\n\u2028\u2029\x0b\x0c\x85]+")


def fmt_number(value: float | None, digits: int = 1) -> str:
    """A number for a table: fixed decimals, an em dash for missing values, no "-0.0"."""
    if value is None or value != value:
        return "—"
    text = f"{value:.{digits}f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text


def one_line(text: str) -> str:
    r"""``text`` on one line: every line break (``\\n``, ``\\r``, U+2028, ...) a space."""
    return _LINE_BREAKS.sub(" ", text).strip()


def md_text(text: str) -> str:
    """A user's text as literal Markdown: one line, markup characters escaped.

    ``<``, ``>`` and ``&`` become HTML entities, so that no raw HTML (``<script>``)
    reaches the file or a renderer; Markdown's own punctuation is backslash-escaped, and
    a leading ``-``, ``=`` or digit-dot cannot start a list or a heading.
    """
    text = html.escape(one_line(text), quote=False)
    text = _MD_SPECIAL.sub(r"\\\1", text)
    if text[:1] in ("-", "=") or re.match(r"\d+[.)]\s", text):
        text = "\\" + text
    return text


def html_text(text: str) -> str:
    """A user's text as literal HTML (quotes escaped too, safe in attributes)."""
    return html.escape(text, quote=True)


def slug(title: str) -> str:
    """The anchor a Markdown host gives a heading (GitHub's rule): lower case, hyphens."""
    text = re.sub(r"[^\w\- ]", "", title.strip().lower())
    return text.replace(" ", "-")


def plural(n: int, one: str, many: str | None = None) -> str:
    """``"1 source"``, ``"2 sources"``: a count with its noun in the right number."""
    return f"{n} {one if n == 1 else (many or one + 's')}"


def join_words(words: list[str], last: str = "and") -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + f" {last} " + words[-1]
