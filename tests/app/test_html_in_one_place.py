"""HTML is built in `app/markup.py` only: no other module of the app, the pages or `lib/` escapes
HTML, writes tags or renders unescaped markup, and every `st.html` shows what markup built.

Read from the source with `ast`, so docstrings and comments may still name tags.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from tests.conftest import ROOT

MARKUP = ROOT / "app" / "markup.py"
# lib/read turns article files (HTML among them) into text: it parses markup, shows none.
READS_MARKUP = ROOT / "lib" / "read"
TAG = re.compile(r"</?(div|span|b|br|a|mark|script|img|p|table|tr|td|style|iframe|svg|i|em|strong|font)\b",
                 re.IGNORECASE)


def checked_files() -> list[Path]:
    files = [*ROOT.glob("app/*.py"), *ROOT.glob("pages/*.py"), ROOT / "dashboard.py", *ROOT.glob("lib/**/*.py")]
    return sorted(p for p in files if p != MARKUP)


def _docstrings(tree: ast.AST) -> set[int]:
    return {id(node.value) for node in ast.walk(tree) if isinstance(node, ast.Expr)}


def _calls_markup(node: ast.AST) -> bool:
    """Whether an expression is `markup.NAME` or `markup.function(...)`, or a join of such."""
    if isinstance(node, ast.Call):
        if isinstance(node.func, ast.Attribute) and node.func.attr == "join":  # "".join(markup.x(r) for r in rows)
            return all(_calls_markup(arg) for arg in node.args)
        return _calls_markup(node.func)
    if isinstance(node, ast.GeneratorExp | ast.ListComp):
        return _calls_markup(node.elt)
    if isinstance(node, ast.Attribute):
        return isinstance(node.value, ast.Name) and node.value.id == "markup"
    return False  # a page's own helper or a string: HTML built outside markup


def html_building(path: Path, root: Path = ROOT) -> list[str]:
    """Where `path` builds or renders HTML itself: escaping, tag literals, unsafe flags, st.html
    of anything markup did not build."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docs = _docstrings(tree)
    found = []
    for node in ast.walk(tree):
        where = f"{path.relative_to(root)}:{getattr(node, 'lineno', '?')}"
        if isinstance(node, ast.Import) and any(alias.name == "html" for alias in node.names):
            found.append(f"{where} imports html")
        elif isinstance(node, ast.ImportFrom) and node.module == "html":
            found.append(f"{where} imports from html")
        elif isinstance(node, ast.Attribute) and node.attr == "escape" and isinstance(node.value, ast.Name) \
                and node.value.id == "html":
            found.append(f"{where} calls html.escape")
        elif isinstance(node, ast.keyword) and node.arg == "unsafe_allow_html":
            found.append(f"{where} passes unsafe_allow_html")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs \
                and TAG.search(node.value) and not str(path).startswith(str(READS_MARKUP)):
            found.append(f"{where} writes a tag: {TAG.search(node.value).group(0)!r}")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "html":
            shown = node.args[0] if node.args else None
            if shown is None or not _calls_markup(shown):
                found.append(f"{where} shows st.html of something app.markup did not build")
            scripted = any(k.arg == "unsafe_allow_javascript" for k in node.keywords)
            fixed = isinstance(shown, ast.Attribute) and shown.attr.isupper()  # a constant: no data in it
            if scripted and not fixed:
                found.append(f"{where} runs a script built from data")
    return found


def test_html_is_built_only_in_app_markup():
    found = [place for path in checked_files() for place in html_building(path)]
    assert not found, "HTML built outside app/markup.py (move it there and escape every piece): " + "; ".join(found)


@pytest.mark.parametrize("source, what", [
    ("import html\nx = html.escape(name)\n", "imports html"),
    ("label = f'<b>{name}</b>'\n", "writes a tag"),
    ("st.markdown(text, unsafe_allow_html=True)\n", "unsafe_allow_html"),
    ("st.html(quote_card(row))\n", "did not build"),
    ("st.html(markup.highlight(text), unsafe_allow_javascript=True)\n", "script built from data"),
])
def test_the_check_finds_html_built_elsewhere(tmp_path, source, what):
    page = tmp_path / "page.py"
    page.write_text(source, encoding="utf-8")
    found = html_building(page, tmp_path)
    assert any(what in place for place in found), found


@pytest.mark.parametrize("source", [
    '"""A page: shows <b>nothing</b> in its docstring."""\nst.html(markup.quote_card(row, link))\n',
    'st.html("".join(markup.quote_card(r, link) for r in rows))\n',
    "st.html(markup.SCROLL_TO_FOCUS, unsafe_allow_javascript=True)\n",
    "x = 'a < b and c > d'\n",
])
def test_the_check_accepts_markup_calls_and_plain_text(tmp_path, source):
    page = tmp_path / "page.py"
    page.write_text(source, encoding="utf-8")
    assert html_building(page, tmp_path) == []

