"""The report's "why": explanations grouped by topic, records named for people, and the
options in force as assumptions in plain words.

Each distinct explanation is stated once (:func:`timeline.presentation.explanation_groups`,
the same identity in every language, so that the English and the Dutch report say the same
things), under one heading per topic (:data:`TOPIC_OF`), in plain words first and then its
legal basis with the public URL (:data:`timeline.citations.CITATIONS`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..assessment import Assessment
from ..citations import CITATIONS
from ..i18n import MissingText, citation_title, lookup, phrase, text
from ..model import Case
from ..now_next import record_name
from ..options import OPTIONS
from ..presentation import explanation_groups, used_for_text

__all__ = ["TOPICS", "TOPIC_OF", "Explained", "Topic", "assumptions", "namer", "topics"]

#: The topics of the explanations, in the order the report gives them, and their rules.
TOPICS: dict[str, tuple[str, ...]] = {
    "permits": ("DC-1", "DC-7", "R1.1", "R1.2", "R1.3", "R1.4", "R4.1", "R4.2", "R4.3", "R8.4", "R9.1"),
    "gaps": ("DC-6", "R4.5"),
    "reporting": ("R2.1", "R2.2", "R2.3"),
    "withdrawal": ("R3.1", "R3.2", "R8.2", "R8.3"),
    "permanent": ("DC-5", "R5.1", "R5.2", "R5.3"),
    "naturalisation": ("R6.1", "R6.2", "R6.3", "R6.4", "R6.5"),
    "independent": ("R7.1", "R7.2"),
    "counting": ("DC-2", "DC-3", "DC-4", "R8.1"),
}
#: The topic of each rule ID; a rule not listed falls under "other".
TOPIC_OF: dict[str, str] = {rule: topic for topic, rules in TOPICS.items() for rule in rules}

#: A record's path in the case file, as engine texts name it: ``permits[0]``, ``applications[2]``.
RECORD_PATH = re.compile(r"\b(?:permits|applications|notifications|absences)\[\d+\]")


def namer(case: Case, lang: str, names: dict[str, str] | None = None) -> Callable[[str], str]:
    """A function that writes every record path in a text as the record's name for people:
    ``names`` first (now and next names a permit applied for by the permit it gave), else
    :func:`timeline.now_next.record_name` ("partner permit of 11 March 2021")."""
    known = names or {}

    def name(match: re.Match[str]) -> str:
        path = match.group(0)
        return known.get(path) or record_name(case, path, lang) or path

    def named(text: str) -> str:
        out = RECORD_PATH.sub(name, text)
        # A name put where a path began a sentence: "partner permit of ..." -> "Partner permit of ...".
        return out[:1].upper() + out[1:] if text[:1].islower() and RECORD_PATH.match(text) else out

    return named


@dataclass(frozen=True)
class Explained:
    """What one rule explains in this case: its texts (each once), its title, its legal
    basis and the public URL of that basis (``None`` for a rule without a citation)."""

    rule: str
    texts: tuple[str, ...]
    title: str
    basis: str
    url: str | None


@dataclass(frozen=True)
class Topic:
    """A heading of the explanations and the rules under it, in first-seen order."""

    key: str
    heading: str
    items: tuple[Explained, ...]


def topics(a: Assessment, named: Callable[[str], str], lang: str) -> tuple[Topic, ...]:
    """The explanations of ``a`` by topic: each distinct explanation once (the same in every
    language), its records named by ``named`` (:func:`namer`), without option keys (the
    assumptions say them)."""
    by_rule: dict[str, list[str]] = {}
    for e, subjects in explanation_groups(a.explanations, "en"):
        said = named(text(e.key, {**e.params, "result": e.result}, lang) + used_for_text(subjects, lang))
        texts = by_rule.setdefault(e.rule, [])
        if said not in texts:  # two explanations may read the same once their records are named
            texts.append(said)
    grouped: dict[str, list[Explained]] = {}
    for rule, texts in by_rule.items():
        cit = CITATIONS.get(rule)
        item = Explained(
            rule,
            tuple(texts),
            citation_title(rule, lang) if cit else "",
            cit.basis if cit else "",
            cit.url if cit else None,
        )
        grouped.setdefault(TOPIC_OF.get(rule, "other"), []).append(item)
    order = [*TOPICS, "other"]
    return tuple(
        Topic(key, phrase("report", f"topic-{key}", lang), tuple(grouped[key])) for key in order if key in grouped
    )


def assumptions(a: Assessment, lang: str) -> tuple[str, ...]:
    """The options the results rest on and those changed from the default, each as a
    sentence in plain words (catalogue context ``assumption``, key ``option=value``), the
    changed ones marked; then a line for the rest."""
    options: dict[str, Any] = dict(a.options)
    used = {k for e in a.explanations for k in e.options}
    changed = {k for k, v in options.items() if k in OPTIONS and v != OPTIONS[k].default}
    out = []
    for key in OPTIONS:  # the catalogue's order: the order of the open questions
        if key in used | changed:
            try:
                sentence = lookup("assumption", f"{key}={options[key]}", lang)
            except MissingText:  # an option newer than its sentences (a test requires them): what it settles
                sentence = OPTIONS[key].text(lang)
            out.append(sentence + (" " + phrase("report", "assumption-changed", lang) if key in changed else ""))
    out.append(phrase("report", "assumptions-rest", lang))
    return tuple(out)
