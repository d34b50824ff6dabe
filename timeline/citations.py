"""The legal basis of every rule the engine applies, keyed by rule ID (docs/rules.md).

Each entry: a short title (EN/NL), the statutory or policy basis as lawyers cite it,
and a public URL. Explanations and the README's rule table are generated from this.
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
    """Title (EN, NL), legal basis and source URL of one rule."""

    title_en: str
    title_nl: str
    basis: str
    url: str


CITATIONS: dict[str, Citation] = {
    "DC-1": Citation(
        "Permit validity is [start, end): the printed end date is the first day without validity",
        "Geldigheid is [begin, eind): de vermelde einddatum is de eerste dag zonder geldigheid",
        "Vb 3.80(1); Vw 26(2)",
        _vb("3.80"),
    ),
    "DC-2": Citation(
        "A term in days or weeks runs from the day after the event",
        "Een termijn in dagen of weken loopt vanaf de dag na de gebeurtenis",
        "Awb 6:8(1); Regulation 1182/71",
        _awb("6:8"),
    ),
    "DC-3": Citation(
        "A term in months or years ends on the same day number, or the month's last day",
        "Een termijn in maanden of jaren eindigt op hetzelfde dagnummer, of de laatste dag van de maand",
        "KCBR Handleiding wetgeving en Europa 2.6.1d; IND practice",
        KCBR_TERMS,
    ),
    "DC-4": Citation(
        "ATW: a statutory deadline on a weekend or holiday moves to the next working day",
        "Atw: een wettelijke termijn die op een weekend- of feestdag eindigt, wordt verlengd",
        "ATW arts. 1, 2, 4, 5",
        ATW,
    ),
    "DC-5": Citation(
        "'X years immediately preceding': every day of [T - X years, T) qualifies",
        "'X jaar onmiddellijk voorafgaand': elke dag van [T - X jaar, T) telt",
        "Vw 21(5); RWN 8(1)(c)",
        _vw("21"),
    ),
    "DC-6": Citation(
        "Residence gap (verblijfsgat): a day without a granted permit",
        "Verblijfsgat: een dag zonder verleende verblijfsvergunning",
        "HRWN toelichting art. 1(1)(g); RWN 8",
        RWN_8,
    ),
    "DC-7": Citation(
        "Calendar dates; an application or report counts from the day the IND received it",
        "Kalenderdata; een aanvraag of melding telt vanaf de dag van ontvangst door de IND",
        "Vb 3.80(1); Vc B1/5.3; Awb 6:9",
        _vb("3.80"),
    ),
    "R1.1": Citation(
        "After entry with an mvv the permit starts the day after the mvv was handed over",
        "Na inreis met een mvv gaat de vergunning in op de dag na afgifte van de mvv",
        "Vb 3.57(1)-(2); Vc B1/3.3.5.3",
        _vb("3.57"),
    ),
    "R1.2": Citation(
        "A permit applied for in the Netherlands starts when all conditions are shown, never before receipt",
        "Een in Nederland aangevraagde vergunning gaat in als aan alle voorwaarden is voldaan, niet vóór ontvangst",
        "Vw 26(1)",
        _vw("26"),
    ),
    "R1.3": Citation(
        "A partner permit runs 5 years, or until the sponsor's own time-limited permit ends",
        "Een vergunning bij partner geldt 5 jaar, of tot het einde van de tijdelijke vergunning van de referent",
        "Vb 3.58(9), 3.59(5), 3.5(2)",
        _vb("3.58"),
    ),
    "R1.4": Citation(
        "An extension is timely if received by the last valid day",
        "Een verlengingsaanvraag is tijdig als zij uiterlijk op de laatste geldige dag is ontvangen",
        "Vb 3.80(1); IND 'Verlengen verblijfsvergunning'",
        _vb("3.80"),
    ),
    "R2.1": Citation(
        "Both the foreign national and the sponsor must report the end of the relationship",
        "Zowel de vreemdeling als de referent moeten het einde van de relatie melden",
        "Vb 4.43(1), 4.44a(1)-(2); Vw 54",
        _vb("4.44a"),
    ),
    "R2.2": Citation(
        "The report must reach the IND within 4 weeks of the change (ATW roll-forward)",
        "De melding moet binnen 4 weken na de wijziging door de IND zijn ontvangen (Atw-verlenging)",
        "Vb 4.43, 4.44a; Vc B1/5.3; ATW arts. 1-5",
        _vb("4.43"),
    ),
    "R2.3": Citation(
        "Late or missing report: warning or administrative fine, possible for 5 years",
        "Te late of geen melding: waarschuwing of bestuurlijke boete, tot 5 jaar mogelijk",
        "Vw 55a; Vc B1/9.1; IND 'Toezicht en sancties'",
        _vw("55a"),
    ),
    "R3.1": Citation(
        "After the relationship ends the partner permit is withdrawn, often retroactively",
        "Na het einde van de relatie wordt de vergunning ingetrokken, vaak met terugwerkende kracht",
        "Vw 19 with 18(1)(f); ECLI:NL:RBDHA:2020:12568",
        _vw("19"),
    ),
    "R3.2": Citation(
        "An objection suspends the withdrawal; procedural stay meanwhile",
        "Bezwaar schort de intrekking op; intussen procedureel rechtmatig verblijf",
        "Vw 73(1), 8(h)",
        _vw("73"),
    ),
    "R4.1": Citation(
        "A late extension starts on receipt unless the lateness is excused",
        "Een te late verlenging gaat in op de ontvangstdatum, tenzij de termijnoverschrijding verschoonbaar is",
        "Vw 26(2)-(3); Vb 3.80",
        _vw("26"),
    ),
    "R4.2": Citation(
        "Extensions received within 4 weeks after expiry are granted contiguously (policy since 1 July 2022)",
        "Verlengingen binnen 4 weken na afloop worden aansluitend verleend (beleid sinds 1 juli 2022)",
        "IND informatiebericht 8 April 2022; Vc (2022)",
        "https://maeslaw.nl/nl/blog/te-laat-ingediende-verlengingsaanvraag",
    ),
    "R4.3": Citation(
        "A late application within 2 years is assessed leniently, but the gap remains",
        "Een te late aanvraag binnen 2 jaar wordt soepel beoordeeld, maar het verblijfsgat blijft",
        "Vb 3.82(1)-(2); Vc B1/6.1",
        _vb("3.82"),
    ),
    "R4.5": Citation(
        "Procedural stay (Vw 8 f/g/h) is not toelating",
        "Procedureel rechtmatig verblijf (Vw 8 f/g/h) is geen toelating",
        "Vw 8, 21(1); HRWN art. 1(1)(g)",
        _vw("8"),
    ),
    "R5.1": Citation(
        "National permanent residence: 5 uninterrupted years of lawful residence",
        "Verblijfsvergunning onbepaalde tijd: 5 jaar onafgebroken rechtmatig verblijf",
        "Vw 21(1), 21(5); Vc B12/2.1-2.2",
        _vw("21"),
    ),
    "R5.2": Citation(
        "EU long-term residence: 5 years, temporary purposes count 0, own study 1/2",
        "EU-langdurig ingezetene: 5 jaar, tijdelijke doelen tellen niet, eigen studie voor de helft",
        "Vw 45b(1)-(3); Directive 2003/109 art. 4",
        _vw("45b"),
    ),
    "R5.3": Citation(
        "Main residence presumed abroad after a long absence",
        "Hoofdverblijf vermoedelijk verplaatst na lange afwezigheid",
        "Vc B1/6.2.1; HRWN art. 1(1)(h); Vw 45b(2)(b)",
        VC,
    ),
    "R6.1": Citation(
        "Naturalisation: 5 uninterrupted years of toelating and main residence",
        "Naturalisatie: 5 jaar onafgebroken toelating en hoofdverblijf",
        "RWN 8(1)(b)-(c); HRWN",
        RWN_8,
    ),
    "R6.2": Citation(
        "Spouse of a Dutch citizen: 3 years of marriage and cohabitation",
        "Echtgenoot van een Nederlander: 3 jaar huwelijk en samenwoning",
        "RWN 8(2); HRWN art. 8(2)",
        RWN_8,
    ),
    "R6.3": Citation(
        "Unmarried partner of a Dutch citizen: 3 years of toelating and cohabitation in the Kingdom",
        "Ongehuwde partner van een Nederlander: 3 jaar toelating en samenwoning in het Koninkrijk",
        "RWN 8(4); HRWN art. 8(4)",
        RWN_8,
    ),
    "R6.4": Citation(
        "Naturalisation: 2 years of toelating before the request after 10 years in total",
        "Naturalisatie: 2 jaar toelating vóór het verzoek na in totaal 10 jaar",
        "RWN 8(3); HRWN art. 8(3)",
        RWN_8,
    ),
    "R6.5": Citation(
        "A 10-year naturalisation term is a draft bill, not law",
        "Een naturalisatietermijn van 10 jaar is een wetsvoorstel in consultatie, geen wet",
        "Rijksoverheid 26 September 2025; Kamerstukken 33 852",
        "https://www.rijksoverheid.nl/actueel/nieuws/2025/09/26/kabinet-wil-naturalisatietermijn-verlengen-van-5-naar-10-jaar",
    ),
    "R7.1": Citation(
        "Independent residence after 5 years of relationship and partner permit",
        "Voortgezet verblijf na 5 jaar relatie en verblijf bij partner",
        "Vb 3.51(1)(a)(1), 3.80a; Vc B9/8.2",
        _vb("3.51"),
    ),
    "R7.2": Citation(
        "Before 5 years: sponsor's death or domestic violence (discretionary)",
        "Vóór 5 jaar: overlijden van de referent of huiselijk geweld (discretionair)",
        "Vb 3.51(1)(c), (j), (k); 3.48(1)(f); Vc B8, B9/8.4, 8.6, 11",
        _vb("3.51"),
    ),
    "R8.1": Citation(
        "ATW: deadlines on a weekend or recognised holiday move to the next working day",
        "Atw: termijnen die op een weekend- of feestdag eindigen, worden verlengd",
        "ATW arts. 1-5",
        ATW,
    ),
    "R8.2": Citation(
        "Objection: 4 weeks from the day after the decision was made known",
        "Bezwaar: 4 weken vanaf de dag na bekendmaking van het besluit",
        "Vw 69(1); Awb 6:8, 6:9; ATW",
        _vw("69"),
    ),
    "R8.3": Citation(
        "IND decision periods",
        "Beslistermijnen van de IND",
        "Vw 25; Vw 76; RWN 9(4)",
        _vw("25"),
    ),
    "R8.4": Citation(
        "Arrival steps after an mvv: collect, enter, TB test, insurance, integration",
        "Stappen na de mvv: ophalen, inreizen, tbc-test, verzekering, inburgering",
        "Vc B1/3.3.4, B1/4.5; Wet inburgering 2021 art. 11",
        VC,
    ),
    "R9.1": Citation(
        "Income requirement: 100 % of the statutory minimum wage, durable",
        "Inkomenseis: 100 % van het wettelijk minimumloon, duurzaam",
        "Vb 3.74(1)(a), 3.75",
        _vb("3.74"),
    ),
}
