"""YAML loading shared by config and front matter.

Two choices matter here:
- dates stay strings (no implicit timestamps), so `2024-02-30` or `08/23/2024` reach our own date
  parsing, which knows the configured formats and gives a clear message;
- unknown tags (`!!python/name:material.extensions.emoji.twemoji` in mkdocs.yml) load as their tag
  text instead of failing or, worse, importing code.
"""

from __future__ import annotations

import os
from typing import Any

import yaml

_Base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class KbLoader(_Base):  # type: ignore[misc, valid-type]
    """A safe loader without timestamps that tolerates foreign tags."""


KbLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _foreign_tag(loader: Any, tag: str, node: yaml.Node) -> str:
    return tag


KbLoader.add_multi_constructor("", _foreign_tag)


class Tagged(str):
    """A front-matter value written with a tag kb does not read (`!!python/name:...`); its text
    is the tag. MkDocs's safe loader rejects such front matter, so lint reports it."""

    @property
    def short(self) -> str:
        return self.replace("tag:yaml.org,2002:", "!!")


class FrontMatterLoader(KbLoader):  # type: ignore[misc, valid-type]
    """KbLoader whose unknown tags give Tagged values, so front matter can report them."""


FrontMatterLoader.add_multi_constructor("", lambda loader, tag, node: Tagged(tag))


def tag_of(value: Any) -> str | None:
    """The foreign tag a front-matter value (or an item of a list value) was written with."""
    if isinstance(value, Tagged):
        return value.short
    if isinstance(value, list):
        return next((item.short for item in value if isinstance(item, Tagged)), None)
    return None


class MkdocsLoader(KbLoader):  # type: ignore[misc, valid-type]
    """KbLoader for mkdocs.yml: also reads MkDocs's `!ENV` tag."""


def _environment(loader: Any, node: yaml.Node) -> Any:
    """`!ENV NAME` or `!ENV [NAME, OTHER, default]`: the first variable set (read as YAML), else
    the default (the last item of a list of two or more), as MkDocs's pyyaml_env_tag reads it."""
    if isinstance(node, yaml.ScalarNode):
        names, default = [loader.construct_scalar(node)], None
    else:
        items = loader.construct_sequence(node)
        names, default = (items[:-1], items[-1]) if len(items) > 1 else (items, None)
    for name in names:
        if isinstance(name, str) and name in os.environ:
            try:
                return yaml.load(os.environ[name], Loader=KbLoader)  # noqa: S506 - a safe loader
            except yaml.YAMLError:
                return os.environ[name]
    return default


MkdocsLoader.add_constructor("!ENV", _environment)


class Reference(str):
    """`!!python/name:module.attr` or `!!python/object/apply:module.func {kwds: {...}}` in
    mkdocs.yml: the tag's text as before, plus what to import and call if kb needs the object
    (the toc extension's slugify). Never imported while loading."""

    name: str
    args: tuple[Any, ...] = ()
    kwds: dict[str, Any] = {}
    call: bool = False


def _reference(loader: Any, suffix: str, node: yaml.Node) -> Reference:
    call = node.tag.startswith("tag:yaml.org,2002:python/object/apply:")
    reference = Reference(node.tag)
    reference.name, reference.call = suffix, call
    if call and isinstance(node, yaml.MappingNode):
        options = loader.construct_mapping(node, deep=True)
        reference.args, reference.kwds = tuple(options.get("args") or ()), dict(options.get("kwds") or {})
    elif call and isinstance(node, yaml.SequenceNode):
        reference.args = tuple(loader.construct_sequence(node, deep=True))
    return reference


# Before KbLoader's catch-all "" prefix: PyYAML tries the prefixes in order.
MkdocsLoader.yaml_multi_constructors = {
    "tag:yaml.org,2002:python/name:": _reference,
    "tag:yaml.org,2002:python/object/apply:": _reference,
    **KbLoader.yaml_multi_constructors,
}
for _dumper in {yaml.SafeDumper, getattr(yaml, "CSafeDumper", yaml.SafeDumper)}:
    _dumper.add_representer(Reference, lambda dumper, data: dumper.represent_str(str(data)))  # its tag text


def duplicate_keys(text: str) -> list[tuple[str, int]]:
    """(key, line) of each key set again in the same mapping of a YAML document: PyYAML keeps the
    last value without a word. Raises yaml.YAMLError."""
    loader = MkdocsLoader(text)
    try:
        node = loader.get_single_node()
    finally:
        loader.dispose()
    found: list[tuple[str, int]] = []
    stack = [node] if node is not None else []
    visited: set[int] = set()  # an alias repeats a node: walked once, even in a loop or an alias bomb
    while stack:
        current = stack.pop()
        if id(current) in visited:
            continue
        visited.add(id(current))
        if isinstance(current, yaml.MappingNode):
            seen: set[str] = set()
            for key, value in current.value:
                if isinstance(key, yaml.ScalarNode):
                    if key.value in seen:
                        found.append((key.value, key.start_mark.line + 1))
                    seen.add(key.value)
                stack.append(value)
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)
    return sorted(found, key=lambda pair: pair[1])


MKDOCS_MAX_VALUES = 1_000_000  # values of a mkdocs.yml with aliases expanded (a 10,000-page nav has ~40,000)
MKDOCS_MAX_DEPTH = 100  # nesting levels


def load_mkdocs(text: str) -> Any:
    """The values of a mkdocs.yml (without following INHERIT); raises yaml.YAMLError, also for a
    document whose aliases loop or expand past MKDOCS_MAX_VALUES (every reader of the values, ours and
    MkDocs's, walks them expanded), or that is nested deeper than MKDOCS_MAX_DEPTH."""
    loader = MkdocsLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        known: dict[int, tuple[int, int]] = {}
        if _expanded(node, 1, set(), known)[0] > MKDOCS_MAX_VALUES:
            raise _tree_error(_innermost_too_big(node, known), f"this value holds more than {MKDOCS_MAX_VALUES:,} "
                              "values when its YAML aliases are expanded")
        return loader.construct_document(node)
    finally:
        loader.dispose()


def _expanded(node: yaml.Node, depth: int, path: set[int], known: dict[int, tuple[int, int]]) -> tuple[int, int]:
    """(values, levels) of `node` with aliases expanded, each node counted once however often an
    alias repeats it, so an alias bomb costs what its text costs."""
    found = known.get(id(node))
    if found is None:
        if id(node) in path:
            raise _tree_error(node, "an alias stands inside the value it names, so the value never ends")
        if depth > MKDOCS_MAX_DEPTH:
            raise _tree_error(node, f"nested more than {MKDOCS_MAX_DEPTH} levels deep")
        children: list[yaml.Node] = []
        if isinstance(node, yaml.SequenceNode):
            children = node.value
        elif isinstance(node, yaml.MappingNode):
            children = [part for pair in node.value for part in pair]
        path.add(id(node))
        parts = [_expanded(child, depth + 1, path, known) for child in children]
        path.discard(id(node))
        found = known[id(node)] = (1 + sum(size for size, _ in parts), 1 + max((levels for _, levels in parts), default=0))
    if depth + found[1] - 1 > MKDOCS_MAX_DEPTH:
        raise _tree_error(node, f"nested more than {MKDOCS_MAX_DEPTH} levels deep")
    return found


def _innermost_too_big(node: yaml.Node, known: dict[int, tuple[int, int]]) -> yaml.Node:
    """The deepest value over MKDOCS_MAX_VALUES inside `node` (which is over it): the one to fix."""
    while isinstance(node, (yaml.SequenceNode, yaml.MappingNode)):
        children = node.value if isinstance(node, yaml.SequenceNode) else [part for pair in node.value for part in pair]
        bigger = next((child for child in children if known[id(child)][0] > MKDOCS_MAX_VALUES), None)
        if bigger is None:
            break
        node = bigger
    return node


def _tree_error(node: yaml.Node, problem: str) -> yaml.YAMLError:
    return yaml.MarkedYAMLError(problem=problem, problem_mark=node.start_mark)


def compose(text: str) -> yaml.Node | None:
    """The node tree of one YAML document (keeps line numbers); raises yaml.YAMLError."""
    loader = KbLoader(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


_STR, _SEQ, _MAP = "tag:yaml.org,2002:str", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"


class _NotPlain(Exception):
    pass


def _plain(node: yaml.Node) -> Any:
    """A text scalar's value, or a list of them; anything else (numbers, tags, merges) is not plain."""
    if node.tag == _STR and isinstance(node, yaml.ScalarNode):
        return node.value
    if node.tag == _SEQ and isinstance(node, yaml.SequenceNode):
        return [_plain(item) for item in node.value]
    raise _NotPlain


def construct(node: yaml.Node) -> Any:
    """Python values for a front matter's node tree from `compose` (foreign tags give Tagged)."""
    # Fast path for typical front matter: text keys with text or list-of-text values, built the
    # way SafeConstructor builds them (a str node's value is the str) without its per-node
    # dispatch, which is most of the YAML time on a large knowledge base.
    if node.tag == _MAP and isinstance(node, yaml.MappingNode):
        try:
            return {_plain_key(key): _plain(value) for key, value in node.value}
        except _NotPlain:
            pass
    loader = FrontMatterLoader("")
    try:
        return loader.construct_document(node)
    finally:
        loader.dispose()


def _plain_key(node: yaml.Node) -> str:
    if node.tag == _STR and isinstance(node, yaml.ScalarNode):
        return node.value
    raise _NotPlain


def load(text: str) -> Any:
    """Python values of one YAML document; raises yaml.YAMLError."""
    return yaml.load(text, Loader=KbLoader)  # noqa: S506 - KbLoader is a safe loader


def error_line(error: yaml.YAMLError) -> tuple[int, int, str]:
    """(line, column, reason) of a YAML error, 1-based, relative to the YAML text."""
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    problem = getattr(error, "problem", None) or str(error).splitlines()[0]
    context = getattr(error, "context", None)
    reason = f"{context}, {problem}" if context else problem
    if mark is None:
        return 1, 1, reason
    return mark.line + 1, mark.column + 1, reason
