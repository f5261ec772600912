"""Reading rubric files: YAML as people write it, and errors that say where and what."""

from __future__ import annotations

import difflib
import math
import os
import threading
from collections import Counter
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from hiring.rubric_yaml import read_yaml
from hiring.rubrics import (
    SCALE_POINTS,
    AntiPattern,
    Competency,
    Rubric,
    ScalePoint,
    listed,
    strictly_increasing_integers,
)
from hiring.validation import unstorable

RUBRIC_SUFFIXES = (".yaml", ".yml")
TITLE_MAX_LENGTH = 200  # the rubric snapshots' title column


def _validation_context(data: dict[str, Any]) -> dict[str, Any]:
    """What cross-checks need from the raw file, gathered before validation so that
    every error in the file is found in one pass."""
    values = [p.get("value") if isinstance(p, dict) else None for p in _listed(data, "scale")]
    # anchors and references are checked only against a valid scale and a non-empty list
    # of competencies, so that one mistake is one error, not one per competency
    usable = len(values) in SCALE_POINTS and strictly_increasing_integers(values)
    competencies = _ids(_listed(data, "competencies"))
    return {
        "scale_values": values if usable else None,
        "competency_ids": {i for i in competencies if isinstance(i, str)} or None,
        "competency_counts": Counter(competencies),
        "anti-pattern_counts": Counter(_ids(_listed(data, "anti_patterns"))),
    }


def _listed(data: dict[str, Any], key: str) -> list[Any]:
    found = data.get(key)
    return found if isinstance(found, list) else []


def _ids(entries: list[Any]) -> list[Any]:
    """The ids of a section's mappings (None where missing); a list given as an id is None."""
    ids = [entry.get("id") for entry in entries if isinstance(entry, dict)]
    return [i if isinstance(i, Hashable) else None for i in ids]


def display_path(path: Path) -> str:
    """The path as a person would type it: relative to the working folder when inside it."""
    try:
        return os.path.relpath(path) if path.resolve().is_relative_to(Path.cwd()) else str(path)
    except ValueError:
        return str(path)


def _location(loc: tuple[int | str, ...], data: Any) -> str:
    """`competencies[2] (decisiveness).anchors` from pydantic's location tuple."""
    text, node = "", data
    for part in loc:
        if isinstance(part, int) and isinstance(node, list):
            node = node[part] if part < len(node) else None
            text += f"[{part}]"
            if isinstance(node, dict) and isinstance(node.get("id"), str):
                text += f" ({_shown(node['id'])})"
        else:
            node = node.get(part) if isinstance(node, dict) else None
            text += f".{_shown(part)}" if text else _shown(part)
    return text


def _shown(part: object) -> str:
    """A key or an id as a location shows it: on one line, and cut short."""
    text = str(part)
    text = text if len(text) <= 60 else f"{text[:57]}..."
    return text if text.isprintable() else repr(text)


def _message(error: Any, data: Any) -> str:
    loc = tuple(error["loc"])
    if error["type"] == "extra_forbidden":
        parent = _location(loc[:-1], data)
        known = _known_fields(loc[:-1])
        hint = difflib.get_close_matches(str(loc[-1]), known, n=1)
        suggestion = f" (did you mean {hint[0]!r}?)" if hint else f"; known fields: {listed(known)}"
        return f"{parent or 'top level'}: unknown field {loc[-1]!r}{suggestion}"
    return f"{_location(loc, data) or 'top level'}: {_problem(error, loc[-1] if loc else None)}"


def _problem(error: Any, field: object) -> str:
    """Pydantic's error as the person editing the YAML file can act on it."""
    kind, value = error["type"], error.get("input")
    if kind == "missing":
        return "required field is missing"
    if kind == "string_pattern_mismatch":
        return (
            f"{value!r} is not a valid id: use lowercase letters, digits and single hyphens, "
            "like 'product-manager'"
        )
    special = None
    if kind in ("string_type", "string_too_short", "string_unicode"):
        special = _text_problem(value)
    elif kind in ("too_short", "too_long"):
        special = _length_problem(kind, len(value), field)
    return special or str(error["msg"]).removeprefix("Value error, ")


def _text_problem(value: object) -> str | None:
    """Where text is expected: a blank string, or what YAML read instead of text."""
    if value is None:
        return "is empty: write the text"
    if isinstance(value, bool):
        return f"{str(value).lower()} is read as a boolean: put the text in quotes"
    if isinstance(value, int | float):
        return f"{value} is read as a number: put it in quotes"
    if isinstance(value, str):  # too short once stripped
        return "is blank: write the text"
    if isinstance(value, bytes):
        return "is binary data (!!binary): write the text"
    return None


_TOO_FEW = {"competencies": "competency", "cues": "cue phrase"}


def _length_problem(kind: str, length: int, field: object) -> str | None:
    if field == "scale":
        return (
            f"the scale has {length} point{'' if length == 1 else 's'}; "
            f"it needs {SCALE_POINTS[0]} to {SCALE_POINTS[-1]}"
        )
    if kind == "too_short" and field in _TOO_FEW:
        return f"needs at least one {_TOO_FEW[str(field)]}"
    return None


_NESTED_MODELS: dict[str, type[BaseModel]] = {
    "scale": ScalePoint,
    "competencies": Competency,
    "anti_patterns": AntiPattern,
}


def _known_fields(loc: tuple[int | str, ...]) -> list[str]:
    model: type[BaseModel] = Rubric
    for part in loc:
        model = _NESTED_MODELS.get(str(part), model)
    return list(model.model_fields)


def parse_rubric(text: str, source: str) -> tuple[Rubric | None, list[str]]:
    """Parse and validate one rubric file's text; errors are prefixed with `source`."""
    data, problem = read_yaml(text, source)
    if problem:
        return None, [problem]
    if not isinstance(data, dict):
        return None, [f"{source}: expected a mapping of rubric fields (id, title, version, ...)"]
    problems = _unstorable_text(data)
    rubric = None
    try:
        rubric = Rubric.model_validate(data, context=_validation_context(data))
    except ValidationError as error:
        problems += [_message(e, data) for e in error.errors() if not _unstorable_error(e)]
    else:
        problems += _beyond_limits(rubric)
    if problems or rubric is None:
        return None, [f"{source}: {problem}" for problem in problems]
    return rubric, []


def _unstorable_error(error: Any) -> bool:
    """Text with a lone surrogate, which _unstorable_text reports with a clearer message."""
    return error["type"] == "string_unicode" and isinstance(error.get("input"), str)


def _unstorable_text(data: dict[str, Any]) -> list[str]:
    """Text that YAML escapes (\\0, \\ud800) let into the file but no database can store;
    each list or mapping is looked at once, however many aliases (*name) repeat it."""
    problems: list[str] = []
    seen: set[int] = set()
    pending: list[tuple[tuple[int | str, ...], Any]] = [((), data)]
    while pending:
        loc, node = pending.pop()
        if isinstance(node, str) and (problem := unstorable(node)):
            problems.append(f"{_location(loc, data) or 'top level'}: {problem}")
        elif isinstance(node, dict | list) and id(node) not in seen:
            seen.add(id(node))
            items = node.items() if isinstance(node, dict) else enumerate(node)
            for key, value in items:
                if isinstance(key, str) and (problem := unstorable(key)):
                    problems.append(f"{_location(loc, data) or 'top level'}: a key {problem}")
                pending.append(((*loc, key), value))
    return sorted(problems)


def _beyond_limits(rubric: Rubric) -> list[str]:
    """What the format allows but the app cannot use: a title longer than the app stores,
    and an infinite weight (YAML's .inf), which leaves every overall score undefined."""
    problems = []
    if len(rubric.title) > TITLE_MAX_LENGTH:
        problems.append(
            f"title: {len(rubric.title)} characters: shorten it to {TITLE_MAX_LENGTH} at most"
        )
    weights = [
        (f"competencies[{i}] ({c.id}).weight", c.weight) for i, c in enumerate(rubric.competencies)
    ]
    weights += [
        (f"stage_profiles.{name}.{competency}", weight)
        for name, profile in rubric.stage_profiles.items()
        for competency, weight in profile.items()
    ]
    problems += [
        f"{where}: {weight} is not a weight a score can use: give a positive number such as 2"
        for where, weight in weights
        if not math.isfinite(weight)
    ]
    return problems


@dataclass
class RubricSet:
    """The rubrics of a folder: those that are valid, and the errors of those that are not."""

    rubrics: dict[str, Rubric] = field(default_factory=dict)
    sources: dict[str, Path] = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)  # by file, as displayed

    def add_file(self, path: Path) -> None:
        """Load one file into the set, refusing an id another file already has."""
        source = display_path(path)
        text, problems = _read_text(path, source)
        rubric, problems = parse_rubric(text, source) if text is not None else (None, problems)
        if rubric is not None and rubric.id in self.rubrics:
            other = display_path(self.sources[rubric.id])
            problems = [
                f"{source}: id: {rubric.id!r} is already the id of {other}; ids must be unique"
            ]
        if problems or rubric is None:
            self.errors[source] = problems
            return
        self.rubrics[rubric.id] = rubric
        self.sources[rubric.id] = path


def _read_text(path: Path, source: str) -> tuple[str | None, list[str]]:
    try:
        raw = path.read_bytes()
    except OSError as error:
        return None, [f"{source}: cannot read the file: {error.strerror or error}"]
    try:
        return raw.decode("utf-8"), []
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        return None, [f"{source}: line {line}: the file is not UTF-8 text: save it as UTF-8"]


def rubric_files(paths: Iterable[Path]) -> tuple[list[Path], list[str]]:
    """The rubric files under `paths` (files, or folders of *.yaml and *.yml, not their
    sub-folders), each once however often it is named, and the missing paths."""
    files: dict[Path, Path] = {}  # by resolved path: `x.yaml ./x.yaml` is one file
    missing: list[str] = []
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.suffix in RUBRIC_SUFFIXES and p.is_file())
        elif path.is_file():
            found = [path]
        else:
            missing.append(f"{display_path(path)}: no such file or folder")
            continue
        for file in found:
            files.setdefault(file.resolve(), file)
    return list(files.values()), missing


def load_rubrics(paths: Iterable[Path]) -> RubricSet:
    """Load every rubric file under `paths`; never raises for a bad file."""
    files, missing = rubric_files(paths)
    rubric_set = RubricSet()
    for message in missing:
        rubric_set.errors[message.split(":")[0]] = [message]
    for path in files:
        rubric_set.add_file(path)
    return rubric_set


class RubricFolder:
    """A rubric folder, reloaded when a file in it changes, so edits need no restart."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._fingerprint: object = None
        self._set = RubricSet()
        self._loading = threading.Lock()  # one thread reads the files; the others wait

    def _current_fingerprint(self) -> object:
        # Looked at on every request: os.scandir, without a Path object per file.
        try:
            with os.scandir(self.folder) as entries:
                stats = [
                    (entry.name, entry.stat())
                    for entry in entries
                    if entry.name.endswith(RUBRIC_SUFFIXES)
                ]
            return sorted((name, stat.st_mtime_ns, stat.st_size) for name, stat in stats)
        except OSError:
            return None

    def current(self) -> RubricSet:
        """The rubrics as the files are now."""
        fingerprint = self._current_fingerprint()
        if fingerprint != self._fingerprint or fingerprint is None:
            with self._loading:
                if fingerprint != self._fingerprint or fingerprint is None:
                    self._set = load_rubrics([self.folder])
                    self._fingerprint = fingerprint
        return self._set
