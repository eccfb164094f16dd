"""`outside:` in taxonomy.yaml: the papers of the listings that the curators keep out of
every theme, each with the reason readers see (read here; applied in generator/assign.py)."""

from __future__ import annotations

import yaml

from .yamlnodes import NodeReader

_OUTSIDE_FIELDS = {"paper", "why"}


def read_outside(loader: NodeReader, node: yaml.Node) -> tuple[tuple[str, str, int, int], ...]:
    """`outside:`, the papers of the listings that the curators keep out of every theme, each
    with the reason shown to readers."""
    example = (
        "outside:\n  - paper: a-paper-slug\n    why: A general fine-tuning method; no theme"
        " of the survey covers it."
    )
    if not isinstance(node, yaml.SequenceNode):
        loader.error(node, f"outside must be a list of papers and reasons, such as\n{example}")
        return ()
    out: list[tuple[str, str, int, int]] = []
    seen: dict[str, int] = {}
    for item in node.value:
        fields = loader.mapping(item, _OUTSIDE_FIELDS, "an entry of outside")
        if not isinstance(item, yaml.MappingNode):
            continue
        if "paper" not in fields or "why" not in fields:
            missing = " and ".join(f'"{k}"' for k in ("paper", "why") if k not in fields)
            loader.error(item, f"an entry of outside needs {missing}, such as\n{example}")
            continue
        slug = loader.string(fields["paper"][1], "the paper of an outside entry") or ""
        why = loader.string(fields["why"][1], f'the reason "{slug}" is outside', True) or ""
        if not slug:
            continue
        if not why.strip():
            loader.error(fields["why"][1], f'the reason "{slug}" is outside is empty')
            continue
        line, col = fields["paper"][1].start_mark.line + 1, fields["paper"][1].start_mark.column
        if slug in seen:
            loader.error(
                fields["paper"][1], f'"{slug}" is in outside twice (first on line {seen[slug]})'
            )
            continue
        seen[slug] = line
        out.append((slug, why.strip(), line, col + 1))
    return tuple(out)
