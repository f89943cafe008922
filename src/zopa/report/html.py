"""The report as one self-contained HTML file: the Markdown rendered, figures inline.

The Markdown report is rendered with markdown-it (CommonMark with tables; raw HTML off,
so a user's text can never become markup), every figure is embedded as a ``data:`` URI,
and the style sheet is inline: the file needs no network and no other file, opens in any
browser, and prints well (A4 pages, figures and table rows kept whole, links shown).
Headings carry the ids a Markdown host gives them, so the findings' links work in both.
"""

from __future__ import annotations

import base64
import mimetypes
from typing import TYPE_CHECKING, Any

from zopa.report.text import html_text, slug

if TYPE_CHECKING:
    from pathlib import Path

STYLE = """
:root { color-scheme: light; }
body { font: 11pt/1.45 "DejaVu Sans", "Helvetica Neue", Arial, sans-serif; color: #1a1a1a;
       max-width: 60rem; margin: 2rem auto; padding: 0 1.5rem; }
h1 { font-size: 1.7em; margin-bottom: .2em; }
h2 { font-size: 1.3em; border-bottom: 1px solid #bbb; padding-bottom: .15em; margin-top: 1.8em; }
h3 { font-size: 1.08em; margin-top: 1.3em; }
table { border-collapse: collapse; margin: .6em 0 1em; font-size: 8.5pt; }
th, td { border: 1px solid #ccc; padding: .2em .4em; vertical-align: top; }
th { background: #f0f0f0; }
td[style*="right"] { font-variant-numeric: tabular-nums; white-space: nowrap; }
img { max-width: 100%; height: auto; display: block; margin: .5em 0 1em; }
code { font-size: .92em; background: #f4f4f4; padding: 0 .15em; }
a { color: #1d4f91; }
li { margin: .15em 0; }
@page { size: A4; margin: 16mm 14mm 18mm; }
@media print {
  body { max-width: none; margin: 0; padding: 0; font-size: 9.5pt; }
  h2 { break-after: avoid; }
  h3 { break-after: avoid; }
  img, tr, li { break-inside: avoid; }
  table { break-inside: auto; }
  thead { display: table-header-group; }
  a { color: inherit; text-decoration: none; }
}
"""


def _renderer() -> Any:
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")

    def heading_open(renderer: Any, tokens: Any, idx: int, options: Any, env: Any) -> str:
        inline = tokens[idx + 1]
        tokens[idx].attrSet("id", slug(inline.content.replace("\\", "")))
        return str(renderer.renderToken(tokens, idx, options, env))

    md.add_render_rule("heading_open", heading_open)
    return md


def _inline_images(tokens: Any, folder: Path) -> None:
    """Replace each image's relative path with a data URI of the file in ``folder``."""
    for token in tokens:
        for child in token.children or ():
            if child.type != "image":
                continue
            src = str(child.attrGet("src") or "")
            path = (folder / src).resolve()
            if src.startswith(("http:", "https:", "data:")) or not path.is_relative_to(
                folder.resolve()
            ):
                continue
            if path.is_file():
                kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                data = base64.b64encode(path.read_bytes()).decode("ascii")
                child.attrSet("src", f"data:{kind};base64,{data}")


def markdown_to_html(markdown: str, *, title: str, folder: Path) -> str:
    """A self-contained HTML page of the Markdown report written in ``folder``."""
    md = _renderer()
    tokens = md.parse(markdown)
    _inline_images(tokens, folder)
    body = md.renderer.render(tokens, md.options, {})
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "img-src data:; style-src 'unsafe-inline'\">\n"
        f"<title>{html_text(title)}</title>\n<style>{STYLE}</style>\n</head>\n"
        f"<body>\n{body}</body>\n</html>\n"
    )
