"""Finding a rubric's cue phrases in interviewers' free text, the way a reader would:
regardless of case, punctuation, hyphenation ("swim-lane", "swimlanes") and simple
inflection ("waited", "waiting"), quoting the sentence around each match."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass

WORD = re.compile(r"[^\W_]+")  # letters and digits: hyphens and punctuation split words
SENTENCE_END = re.compile(r"(?<=[.!?;])\s+|\n+")
SUFFIXES = ("ing", "ed", "es", "s")


@dataclass(frozen=True)
class CueMatch:
    """A cue found in a text, with the sentence it was found in."""

    cue: str
    sentence: str


def stem(word: str) -> str:
    """A crude stem: enough to match simple inflections of the same word, nothing more."""
    word = word.lower()
    for suffix in SUFFIXES:
        if not word.endswith(suffix) or len(word) - len(suffix) < 3:
            continue
        if suffix == "s" and word.endswith("ss"):
            break  # "process" is not a plural
        word = word[: -len(suffix)]
        if suffix in ("ing", "ed") and word[-1] == word[-2] and word[-1] not in "lsz":
            word = word[:-1]  # "stopped", "deferring"
        break
    return word[:-1] if word.endswith("e") and len(word) > 3 else word


@functools.lru_cache(maxsize=4096)  # each text is searched for every anti-pattern's cues
def _words(text: str) -> tuple[tuple[str, int], ...]:
    return tuple((stem(match.group()), match.start()) for match in WORD.finditer(text))


def find_cues(text: str, cues: Iterable[str]) -> list[CueMatch]:
    """Each cue found in `text` (once per cue), with the sentence around its first match.

    Words are compared by their stems, and a cue of several words also matches the same
    stems written as one word or hyphenated ("swim lanes", "swim-lane", "swimlanes").
    """
    joined = _joined(text)
    found = []
    for cue in cues:
        wanted = _joined(cue)
        if not wanted or wanted not in joined:  # the quick refusal, for most cues
            continue
        start = _first_match(_words(text), wanted)
        if start is not None:
            found.append(CueMatch(cue=cue, sentence=sentence_at(text, start)))
    return found


@functools.lru_cache(maxsize=4096)
def _joined(text: str) -> str:
    return "".join(word for word, _ in _words(text))


def _first_match(words: tuple[tuple[str, int], ...], wanted: str) -> int | None:
    for first in range(len(words)):
        joined = ""
        for word, _ in words[first:]:
            joined += word
            if joined == wanted:
                return words[first][1]
            if len(joined) >= len(wanted) or not wanted.startswith(joined):
                break
    return None


def sentence_at(text: str, position: int) -> str:
    """The sentence of `text` that contains the character at `position`."""
    start = 0
    for boundary in SENTENCE_END.finditer(text):
        if boundary.start() >= position:
            return text[start : boundary.start()].strip()
        start = boundary.end()
    return text[start:].strip()
