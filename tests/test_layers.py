"""The layers of `lib` import one way, read from the source with `ast` (lazy imports included).

    contract <- read <- nlp <- extract <- crossarticle <- run      (each may import those left of it)
    contract <- views                                             (pages' derivations: tables only)
    views <- run                       (a run writes the pages' derived tables with its tables)

`lib/` never imports streamlit; `app/` and `pages/` never import spaCy or the layers that do.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT

ORDER = ("contract", "read", "nlp", "extract", "crossarticle", "run")
ALLOWED = {layer: set(ORDER[:i + 1]) for i, layer in enumerate(ORDER)}
ALLOWED["views"] = {"views", "contract"}
ALLOWED["run"].add("views")
ALLOWED["entry"] = {"run"}  # lib/preprocess.py, the command of the output contract
SPACY_LAYERS = {"nlp", "extract", "crossarticle"}
LIB = ROOT / "lib"


def imported(path: Path) -> Iterator[str]:
    """Every module name `path` imports, at module level or inside functions."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            yield node.module
            if node.module == "lib":  # `from lib import run` names a package
                yield from (f"lib.{alias.name}" for alias in node.names)


def layer_of(path: Path) -> str:
    parts = path.relative_to(LIB).parts
    return parts[0] if len(parts) > 1 else {"preprocess.py": "entry"}.get(parts[0], "lib")


def target_layer(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "lib" or len(parts) < 2 or parts[1] not in ALLOWED:
        return None  # not a layer: a third-party module, `lib` itself (PIPELINE_VERSION) or lib.data
    return parts[1]


def lib_files() -> list[Path]:
    return sorted(p for p in LIB.rglob("*.py") if "data" not in p.relative_to(LIB).parts)


def layer_edges() -> set[tuple[str, str, str]]:
    return {(layer_of(p), target, p.relative_to(ROOT).as_posix())
            for p in lib_files() for m in imported(p) if (target := target_layer(m))}


def test_every_module_of_lib_is_in_a_layer():
    assert {layer_of(p) for p in lib_files()} <= set(ALLOWED) | {"lib"}


def test_layers_import_only_the_layers_below():
    wrong = sorted(f"{where}: {source} -> {target}" for source, target, where in layer_edges()
                   if target not in ALLOWED.get(source, set()))
    assert not wrong


def test_no_cycle_between_layers():
    graph: dict[str, set[str]] = {}
    for source, target, _ in layer_edges():
        if source != target:
            graph.setdefault(source, set()).add(target)

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        return any(n == goal or (n not in seen and reaches(n, goal, seen | {n})) for n in graph.get(start, ()))

    assert not [layer for layer in graph if reaches(layer, layer, set())]


def test_lib_never_imports_streamlit():
    users = sorted(p.relative_to(ROOT).as_posix() for p in lib_files()
                   if any(m.split(".")[0] == "streamlit" for m in imported(p)))
    assert not users


@pytest.mark.parametrize("folder", ["app", "pages"])
def test_app_and_pages_never_import_spacy(folder):
    wrong = sorted(f"{p.name}: {m}" for p in (ROOT / folder).glob("*.py") for m in imported(p)
                   if m.split(".")[0] == "spacy" or target_layer(m) in SPACY_LAYERS)
    assert wrong == []
