"""YAML as people write rubrics: only true and false are booleans, no key is given twice,
keys are text or numbers, dates are real; and syntax errors with the line, the column and a
hint for the common mistakes."""

from __future__ import annotations

import re
from typing import Any

import yaml


def read_yaml(text: str, source: str) -> tuple[Any, str | None]:
    """The YAML document in `text`, or None and what is wrong, prefixed with `source`."""
    try:
        return yaml.load(text, Loader=RubricLoader), None  # noqa: S506 (a SafeLoader subclass)
    except yaml.MarkedYAMLError as error:
        return None, _syntax_message(error, source)
    except yaml.reader.ReaderError as error:  # a control character, NUL say
        line = text.count("\n", 0, error.position) + 1
        column = error.position - text.rfind("\n", 0, error.position)
        return None, (
            f"{source}:{line}:{column}: the character #x{error.character:04x} is not allowed in "
            "YAML: remove it (is this a text file?)"
        )
    except yaml.YAMLError as error:
        return None, f"{source}: YAML error: {' '.join(str(error).split())}"
    except RecursionError:
        return None, f"{source}: YAML nested too deeply: is a bracket left open?"


class RubricLoader(yaml.SafeLoader):
    """YAML loader for hand-written rubrics.

    It refuses a key given twice in one mapping (PyYAML would keep the last), a key that is
    a list or mapping, and a date that does not exist (PyYAML would raise a bare error), and
    reads booleans as YAML 1.2 does, only true and false, so that scale labels such as `No`
    and `Yes` stay text.
    """


BOOL_TAG = "tag:yaml.org,2002:bool"
RubricLoader.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers if tag != BOOL_TAG]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
RubricLoader.add_implicit_resolver(
    BOOL_TAG, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def _construct_mapping(loader: RubricLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        try:
            hash(key)
        except TypeError:
            raise yaml.constructor.ConstructorError(
                None,
                None,
                "a key must be text or a number, not a list or mapping",
                key_node.start_mark,
            ) from None
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"key {key!r} appears twice in the same mapping", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node)


def _construct_timestamp(loader: RubricLoader, node: yaml.ScalarNode) -> Any:
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:  # 2026-02-30 looks like a date to YAML, but is none
        raise yaml.constructor.ConstructorError(
            None, None, f"{node.value} is not a real date: put it in quotes", node.start_mark
        ) from None


RubricLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    _construct_mapping,
)
RubricLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


HINTS = {
    "found character '\\t'": "indent with spaces, not tabs",
    "mapping values are not allowed here": "if the text contains ': ', put it in quotes",
    "could not determine a constructor for the tag 'tag:yaml.org,2002:merge'": (
        "write the fields out in full: merge keys (<<) are not supported"
    ),
}


def _syntax_message(error: yaml.MarkedYAMLError, source: str) -> str:
    mark = error.problem_mark or error.context_mark
    where = f"{source}:{mark.line + 1}:{mark.column + 1}" if mark else source
    problem = error.problem or error.context or ""
    hints = [hint for cause, hint in HINTS.items() if problem.startswith(cause)]
    return f"{where}: YAML syntax error: {': '.join([problem, *hints])}"
