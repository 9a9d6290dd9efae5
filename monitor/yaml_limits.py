"""YAML composed within bounds: size, nesting depth and alias expansion (no alias bombs, no recursion)."""

from __future__ import annotations

from typing import Any

import yaml

# A rules file is a few kB; these bounds refuse hostile input (alias bombs, deep nesting) before any work.
MAX_CHARS = 200_000
MAX_DEPTH = 32
MAX_NODES = 20_000  # values after alias expansion: each `*alias` counts its whole subtree again
_OPEN = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
_CLOSE = (yaml.MappingEndEvent, yaml.SequenceEndEvent)


class LimitError(Exception):
    """The text is over a bound; `mark` locates it in the source (None for the whole file)."""

    def __init__(self, message: str, mark: Any = None):
        super().__init__(message)
        self.message = message
        self.mark = mark


def _check_depth(text: str) -> None:
    """Refuse nesting deeper than MAX_DEPTH; PyYAML's event parser is iterative, so this cannot recurse."""
    depth = 0
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, _OPEN):
            depth += 1
            if depth > MAX_DEPTH:
                raise LimitError(f"nested more than {MAX_DEPTH} levels deep", event.start_mark)
        elif isinstance(event, _CLOSE):
            depth -= 1


def _expanded_size(node: yaml.Node, sizes: dict[int, int]) -> int:
    """Count the values a node stands for with aliases expanded; refuse past MAX_NODES."""
    if id(node) in sizes:
        return sizes[id(node)]
    sizes[id(node)] = MAX_NODES + 1  # a node reached again while being counted is a recursive alias
    children: list[yaml.Node] = []
    if isinstance(node, yaml.SequenceNode):
        children = list(node.value)
    elif isinstance(node, yaml.MappingNode):
        children = [part for pair in node.value for part in pair]
    total = 1
    for child in children:
        total += _expanded_size(child, sizes)
        if total > MAX_NODES:
            raise LimitError(f"aliases expand to more than {MAX_NODES:,} values (an alias bomb?); "
                             "write the values out instead", node.start_mark)
    sizes[id(node)] = total
    return total


def compose_bounded(text: str) -> yaml.Node | None:
    """Compose YAML text into nodes, refusing it (LimitError) past the size, depth or expansion bounds."""
    if len(text) > MAX_CHARS:
        raise LimitError(f"larger than {MAX_CHARS:,} characters")
    _check_depth(text)
    node = yaml.compose(text, Loader=yaml.SafeLoader)
    if node is not None:
        _expanded_size(node, {})
    return node
