"""The code's shape, held by tests: size limits and the import layering of generator/.

Layers, lowest first (docs/architecture.md draws the same): a module imports only from its
own layer or a lower one, and nothing but the loaders and the writers touches the file system.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

GENERATOR = Path(__file__).parent.parent / "generator"
MAX_FUNCTION_LINES = 60
MAX_MODULE_LINES = 400
ARCHITECTURE = Path(__file__).parent.parent / "docs" / "architecture.md"

LAYERS = {
    "records": ("errors", "model", "text", "lemma", "latex", "urls", "encoder"),
    "load": (
        "phrases",
        "yamlnodes",
        "dump",
        "outside",
        "taxonomy",
        "manifest",
        "metadata",
        "vectors",
        "load",
    ),
    "analyse": (
        "ingest",
        "identity",
        "assign",
        "checks",
        "topical",
        "related",
        "neighbours",
        "projection",
        "suggest",
        "classify",
        "crossval",
        "titlematch",
    ),
    "render": (
        "cite",
        "render",
        "about",
        "charts",
        "timeline",
        "pages",
        "export",
        "feeds",
        "redirects",
        "changes",
        "maintainers",
        "searchtext",
    ),
    "compose": ("aside", "site"),
    "write": (
        "plugin",
        "gen_pages",
        "search",
        "live",
        "preview",
        "cli",
        "evaluate",
        "copies",
        "scholarly",
        "papersfile",
        "enrich",
        "yamledit",
        "saving",
        "edit",
        "__main__",
    ),
}
"""Every module of generator/ (but __init__), by layer, lowest first."""
READERS = {"load", "vectors"} | set(LAYERS["write"])
"""The modules that may touch the file system, start processes or read the environment."""
FILE_SYSTEM = {
    "open",
    "read_text",
    "read_bytes",
    "write_text",
    "write_bytes",
    "mkdir",
    "glob",
    "rglob",
    "unlink",
    "rmtree",
    "copytree",
    "environ",
    "getenv",
    "Popen",
    "chdir",
}


def modules() -> list[Path]:
    return sorted(GENERATOR.glob("*.py"))


def functions(tree: ast.AST) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
    return [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]


def test_no_function_is_over_the_limit() -> None:
    long = []
    for path in modules():
        for node in functions(ast.parse(path.read_text(encoding="utf-8"))):
            size = (node.end_lineno or node.lineno) - node.lineno + 1
            if size > MAX_FUNCTION_LINES:
                long.append(f"{path.name}:{node.lineno} {node.name}: {size} lines")
    assert long == [], f"functions over {MAX_FUNCTION_LINES} lines:\n" + "\n".join(long)


@pytest.mark.parametrize("path", modules(), ids=lambda p: p.name)
def test_no_module_is_over_the_limit(path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_MODULE_LINES, f"{path.name} has {lines} lines"


def layer_of() -> dict[str, int]:
    return {m: n for n, mods in enumerate(LAYERS.values()) for m in mods}


def imports(tree: ast.AST) -> set[str]:
    """The generator modules a module imports (`from .x import`, `from generator.x import`,
    `from . import x`)."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level == 1 and not module:
                found |= {a.name for a in node.names}
            elif node.level == 1:
                found.add(module.split(".")[0])
            elif module.startswith("generator."):
                found.add(module.split(".")[1])
            elif module == "generator":
                found |= {a.name for a in node.names}
    return found


def test_every_module_has_a_layer() -> None:
    names = {p.stem for p in modules()} - {"__init__"}
    assert names == set(layer_of()), "add new modules to LAYERS and docs/architecture.md"


def test_modules_import_only_their_own_layer_or_lower() -> None:
    layer, names = layer_of(), list(LAYERS)
    wrong = []
    for path in modules():
        if path.stem == "__init__":
            continue
        for other in sorted(imports(ast.parse(path.read_text(encoding="utf-8")))):
            if layer[other] > layer[path.stem]:
                wrong.append(
                    f"{path.stem} ({names[layer[path.stem]]}) imports {other} "
                    f"({names[layer[other]]})"
                )
    assert wrong == []


def test_only_the_loader_and_the_writers_touch_files() -> None:
    touching = []
    for path in modules():
        if path.stem in READERS or path.stem == "__init__":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            name = (
                node.attr
                if isinstance(node, ast.Attribute)
                else node.id
                if isinstance(node, ast.Name)
                else None
            )
            if name in FILE_SYSTEM:
                touching.append(f"{path.name}:{node.lineno} {name}")
            if isinstance(node, ast.Import | ast.ImportFrom):
                mods = [a.name for a in node.names] + [getattr(node, "module", None) or ""]
                if any(m.split(".")[0] in ("subprocess", "shutil", "mkdocs") for m in mods):
                    touching.append(f"{path.name}:{node.lineno} imports {', '.join(mods)}")
    assert touching == []


def test_the_architecture_page_draws_these_layers() -> None:
    """docs/architecture.md lists each layer with its modules, in this order."""
    text = ARCHITECTURE.read_text(encoding="utf-8")
    drawn = re.findall(r"^\| \*\*(\w+)\*\* \| (.+?) \|", text, re.MULTILINE)
    assert [name for name, _ in drawn] == list(LAYERS)
    for name, cell in drawn:
        assert re.findall(r"`(\w+)\.py`", cell) == list(LAYERS[name]), name
