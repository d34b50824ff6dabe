"""The legal basis of every rule the engine applies, keyed by rule ID (docs/rules.md).

Each entry: the statutory or policy basis as lawyers cite it and a public URL; the
rule's short title is in the text catalogues (context "citation",
:func:`timeline.i18n.citation_title`). Explanations and the README's rule table are generated from this.
"""

from __future__ import annotations

from typing import NamedTuple

__all__ = ["CITATIONS", "RULES_VERSION", "Citation"]

#: Version of the rule set (the research state of docs/rules.md and this engine's reading of it).
RULES_VERSION = "2026.11"

# Official consolidated texts on wetten.overheid.nl. An article is linked with a Juriconnect
# (jci1.3) identifier, which opens the article in the text in force today; docs/rules.md
# gives the same URL in the rule's entry (tests/test_rules_reference.py checks it).
_JCI = "https://wetten.overheid.nl/jci1.3:c:"
VC = "https://wetten.overheid.nl/BWBR0012289"
ATW = "https://wetten.overheid.nl/BWBR0002448"


def _vw(article: str) -> str:
    """Vreemdelingenwet 2000, one article."""
    return f"{_JCI}BWBR0011823&artikel={article}"


def _vb(article: str) -> str:
    """Vreemdelingenbesluit 2000, one article."""
    return f"{_JCI}BWBR0011825&artikel={article}"


def _awb(article: str) -> str:
    """Algemene wet bestuursrecht, one article."""
    return f"{_JCI}BWBR0005537&artikel={article}"


RWN_8 = f"{_JCI}BWBR0003738&artikel=8"
KCBR_TERMS = (
    "https://www.kcbr.nl/beleid-en-regelgeving-ontwikkelen/handleiding-wetgeving-en-europa/"
    "2-module-2-omzetting-en-uitvoering-nationale-regelgeving/"
    "26-overgangsrecht-termijnen-en-inwerkingtreding/261-termijnen-eu-regelgeving/"
    "261d-hoe-lang-duurt-een-week-een-maand"
)


class Citation(NamedTuple):
    """Legal basis and source URL of one rule (its title, in every language, is in the text catalogues)."""

    basis: str
    url: str


CITATIONS: dict[str, Citation] = {
    "DC-1": Citation(
        "Vb 3.80(1); Vw 26(2)",
        _vb("3.80"),
    ),
    "DC-2": Citation(
        "Awb 6:8(1); Regulation 1182/71",
        _awb("6:8"),
    ),
    "DC-3": Citation(
        "KCBR Handleiding wetgeving en Europa 2.6.1d; IND practice",
        KCBR_TERMS,
    ),
    "DC-4": Citation(
        "ATW arts. 1, 2, 4, 5",
        ATW,
    ),
    "DC-5": Citation(
        "Vw 21(5); RWN 8(1)(c)",
        _vw("21"),
    ),
    "DC-6": Citation(
        "HRWN toelichting art. 1(1)(g); RWN 8",
        RWN_8,
    ),
    "DC-7": Citation(
        "Vb 3.80(1); Vc B1/5.3; Awb 6:9",
        _vb("3.80"),
    ),
    "R1.1": Citation(
        "Vb 3.57(1)-(2); Vc B1/3.3.5.3",
        _vb("3.57"),
    ),
    "R1.2": Citation(
        "Vw 26(1)",
        _vw("26"),
    ),
    "R1.3": Citation(
        "Vb 3.58(9), 3.59(5), 3.5(2)",
        _vb("3.58"),
    ),
    "R1.4": Citation(
        "Vb 3.80(1); IND 'Verlengen verblijfsvergunning'",
        _vb("3.80"),
    ),
    "R2.1": Citation(
        "Vb 4.43(1), 4.44a(1)-(2); Vw 54",
        _vb("4.44a"),
    ),
    "R2.2": Citation(
        "Vb 4.43, 4.44a; Vc B1/5.3; ATW arts. 1-5",
        _vb("4.43"),
    ),
    "R2.3": Citation(
        "Vw 55a; Vc B1/9.1; IND 'Toezicht en sancties'",
        _vw("55a"),
    ),
    "R3.1": Citation(
        "Vw 19 with 18(1)(f); ECLI:NL:RBDHA:2020:12568",
        _vw("19"),
    ),
    "R3.2": Citation(
        "Vw 73(1), 8(h)",
        _vw("73"),
    ),
    "R4.1": Citation(
        "Vw 26(2)-(3); Vb 3.80",
        _vw("26"),
    ),
    "R4.2": Citation(
        "IND informatiebericht 8 April 2022; Vc (2022)",
        "https://maeslaw.nl/nl/blog/te-laat-ingediende-verlengingsaanvraag",
    ),
    "R4.3": Citation(
        "Vb 3.82(1)-(2); Vc B1/6.1",
        _vb("3.82"),
    ),
    "R4.5": Citation(
        "Vw 8, 21(1); HRWN art. 1(1)(g)",
        _vw("8"),
    ),
    "R5.1": Citation(
        "Vw 21(1), 21(5); Vc B12/2.1-2.2",
        _vw("21"),
    ),
    "R5.2": Citation(
        "Vw 45b(1)-(3); Directive 2003/109 art. 4",
        _vw("45b"),
    ),
    "R5.3": Citation(
        "Vc B1/6.2.1; HRWN art. 1(1)(h); Vw 45b(2)(b)",
        VC,
    ),
    "R6.1": Citation(
        "RWN 8(1)(b)-(c); HRWN",
        RWN_8,
    ),
    "R6.2": Citation(
        "RWN 8(2); HRWN art. 8(2)",
        RWN_8,
    ),
    "R6.3": Citation(
        "RWN 8(4); HRWN art. 8(4)",
        RWN_8,
    ),
    "R6.4": Citation(
        "RWN 8(3); HRWN art. 8(3)",
        RWN_8,
    ),
    "R6.5": Citation(
        "Rijksoverheid 26 September 2025; Kamerstukken 33 852",
        "https://www.rijksoverheid.nl/actueel/nieuws/2025/09/26/kabinet-wil-naturalisatietermijn-verlengen-van-5-naar-10-jaar",
    ),
    "R7.1": Citation(
        "Vb 3.51(1)(a)(1), 3.80a; Vc B9/8.2",
        _vb("3.51"),
    ),
    "R7.2": Citation(
        "Vb 3.51(1)(c), (j), (k); 3.48(1)(f); Vc B8, B9/8.4, 8.6, 11",
        _vb("3.51"),
    ),
    "R8.1": Citation(
        "ATW arts. 1-5",
        ATW,
    ),
    "R8.2": Citation(
        "Vw 69(1); Awb 6:8, 6:9; ATW",
        _vw("69"),
    ),
    "R8.3": Citation(
        "Vw 25; Vw 76; RWN 9(4)",
        _vw("25"),
    ),
    "R8.4": Citation(
        "Vc B1/3.3.4, B1/4.5; Wet inburgering 2021 art. 11",
        VC,
    ),
    "R9.1": Citation(
        "Vb 3.74(1)(a), 3.75",
        _vb("3.74"),
    ),
}
