"""English and Dutch texts: explanations, conditions, warnings, labels and dates.

Dates are formatted here, never through the machine's locale. Each message is a
``str.format`` template; a date parameter ``x`` is available as ``{x}`` ("11 March
2021") and ``{x_wd}`` ("Thursday 11 March 2021"); ``None`` renders as "-".

Counts are pluralised here too, never by appending a plural word: a template writes a
count with its unit as the format spec, ``{days:day}``, which renders as "1 day" / "92
days" / "1 dag" / "92 dagen" (:func:`count`, :func:`ngettext`, :func:`fill`).
"""

from __future__ import annotations

import string
from datetime import date
from typing import Any

__all__ = [
    "LABELS",
    "LANGS",
    "MESSAGES",
    "UNITS",
    "count",
    "duration",
    "fill",
    "format_date",
    "label",
    "ngettext",
    "text",
]

LANGS = ("en", "nl")

MONTHS = {
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
    "nl": (
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
    ),
}
WEEKDAYS = {
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    "nl": ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"),
}


def format_date(d: date | None, lang: str = "en", weekday: bool = False) -> str:
    """``11 March 2021`` / ``11 maart 2021``; with ``weekday`` the day name first."""
    if d is None:
        return "-"
    text = f"{d.day} {MONTHS[lang][d.month - 1]} {d.year}"
    return f"{WEEKDAYS[lang][d.weekday()]} {text}" if weekday else text


#: (singular, plural) per unit and language (English, Dutch). Dutch writes "jaar" after
#: any number ("5 jaar"), as the IND and the laws do.
UNITS: dict[str, tuple[tuple[str, str], tuple[str, str]]] = {
    "day": (("day", "days"), ("dag", "dagen")),
    "week": (("week", "weeks"), ("week", "weken")),
    "month": (("month", "months"), ("maand", "maanden")),
    "year": (("year", "years"), ("jaar", "jaar")),
    "case": (("case", "cases"), ("geval", "gevallen")),
    "row": (("row", "rows"), ("rij", "rijen")),
    "event": (("event", "events"), ("afspraak", "afspraken")),
    "scenario": (("scenario", "scenarios"), ("scenario", "scenario's")),
    "explanation": (("explanation", "explanations"), ("toelichting", "toelichtingen")),
    "gap": (("gap", "gaps"), ("verblijfsgat", "verblijfsgaten")),
    "overlap": (("overlap", "overlaps"), ("overlap", "overlappen")),
    "more-overlap": (("more overlap", "more overlaps"), ("overlap meer", "overlappen meer")),
    "more-explanation": (("more explanation", "more explanations"), ("toelichting meer", "toelichtingen meer")),
}


def ngettext(singular: str, plural: str, n: int) -> str:
    """gettext's plural choice for English and Dutch: the singular for exactly 1, else the plural.

    Both languages have this one rule (gettext ``nplurals=2; plural=(n != 1)``): "0 days",
    "1 day", "2 days"; "0 dagen", "1 dag", "2 dagen"; also for -1 ("-1 day").
    """
    return singular if abs(n) == 1 else plural


def count(n: int, unit: str, lang: str = "en", *, signed: bool = False, sep: bool = False) -> str:
    """``n`` with its unit in ``lang``: ``count(1, "day")`` is "1 day", ``count(3, "day", "nl")`` "3 dagen".

    ``signed`` writes "+3 days" / "-1 day"; ``sep`` groups thousands ("2,000 cases").
    """
    singular, plural = UNITS[unit][LANGS.index(lang)]
    number = f"{n:+,d}" if signed and sep else f"{n:+d}" if signed else f"{n:,d}" if sep else f"{n:d}"
    if sep and lang == "nl":
        number = number.replace(",", ".")
    return f"{number} {ngettext(singular, plural, n)}"


def duration(years: int, months: int, days: int, lang: str = "en") -> str:
    """``1 year 4 months 0 days`` / ``1 jaar 4 maanden 0 dagen``."""
    return " ".join(count(n, unit, lang) for n, unit in ((years, "year"), (months, "month"), (days, "day")))


class _Formatter(string.Formatter):
    """``str.format`` with the units of :data:`UNITS` as format specs: ``{days:day}``."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def format_field(self, value: Any, format_spec: str) -> str:
        if format_spec in UNITS:
            if isinstance(value, int) and not isinstance(value, bool):
                return count(value, format_spec, self.lang)
            return f"{value} {UNITS[format_spec][LANGS.index(self.lang)][1]}"
        return super().format_field(value, format_spec)


def fill(template: str, params: dict[str, Any], lang: str = "en") -> str:
    """Format ``template`` with ``params``; ``{n:day}`` (a unit of :data:`UNITS`) pluralises ``n``."""
    return _Formatter(lang).vformat(template, (), params)


# (English, Dutch) per message key.
MESSAGES: dict[str, tuple[str, str]] = {
    # residence (R1.2, R1.4, R4.1, R4.2, R3.1)
    "indefinite-document-end": (
        "{record} is a permanent right: the end date on the card ({end}) is the document's, not the right's.",
        "{record} is een recht voor onbepaalde tijd: de einddatum op het document ({end}) is die van het "
        "document, niet van het recht.",
    ),
    "start-received": (
        "{record} ({kind_text}) received on {received}: the permit starts on the day of receipt, {start} (Vw 26(1)).",
        "{record} ({kind_text}) ontvangen op {received}: de vergunning gaat in op de ontvangstdatum, {start} "
        "(art. 26 lid 1 Vw).",
    ),
    "start-printed": (
        "{record}: the start date on the granted permit, {start}, is used as given.",
        "{record}: de ingangsdatum op de verleende vergunning, {start}, is overgenomen.",
    ),
    "start-timely": (
        "{record}: extension received on {received}, on or before the last valid day {last_valid} of "
        "{previous}: timely, so the new permit continues without a break from {start}.",
        "{record}: verlenging ontvangen op {received}, uiterlijk op de laatste geldige dag {last_valid} van "
        "{previous}: tijdig, dus de nieuwe vergunning sluit aan vanaf {start}.",
    ),
    "start-tolerance": (
        "{record}: received on {received}, after {previous} expired (last valid day {last_valid}) but within "
        "the four-week tolerance ending {tolerance_end}: granted without a break from {start} (IND policy "
        "since 1 July 2022).",
        "{record}: ontvangen op {received}, na afloop van {previous} (laatste geldige dag {last_valid}) maar "
        "binnen de tolerantie van vier weken tot en met {tolerance_end}: aansluitend verleend vanaf {start} "
        "(IND-beleid sinds 1 juli 2022).",
    ),
    "start-excused": (
        "{record}: received late on {received}, but the lateness is recorded as excused (not attributable): "
        "the permit continues without a break from {start}.",
        "{record}: te laat ontvangen op {received}, maar de termijnoverschrijding is als verschoonbaar "
        "vastgelegd: de vergunning sluit aan vanaf {start}.",
    ),
    "start-late": (
        "{record}: received on {received}, after {previous} expired (last valid day {last_valid}) and after "
        "the four-week tolerance ({tolerance_end}): the new permit starts only on {start}.",
        "{record}: ontvangen op {received}, na afloop van {previous} (laatste geldige dag {last_valid}) en na "
        "de tolerantie van vier weken ({tolerance_end}): de nieuwe vergunning gaat pas in op {start}.",
    ),
    "withdrawal": (
        "{record} is treated as withdrawn from {effective} (last day with the permit {last_day}); basis: {basis_text}.",
        "{record} geldt als ingetrokken per {effective} (laatste dag met vergunning {last_day}); grondslag: "
        "{basis_text}.",
    ),
    "withdrawal-removed": (
        "{record} is treated as withdrawn from {effective}, on or before its start: it gives no residence; "
        "basis: {basis_text}.",
        "{record} geldt als ingetrokken per {effective}, op of vóór de ingangsdatum: zij geeft geen verblijf; "
        "grondslag: {basis_text}.",
    ),
    "withdrawal-none": (
        "{record}: the relationship ended, but under the option withdrawal_effective = {choice} no date is "
        "known yet (no report or decision on record): the permit is treated as running to its end. A later "
        "decision may still withdraw it.",
        "{record}: de relatie is beëindigd, maar met optie withdrawal_effective = {choice} is nog geen datum "
        "bekend (geen melding of besluit vastgelegd): de vergunning loopt door tot de einddatum. Een later "
        "besluit kan haar alsnog intrekken.",
    ),
    "withdrawal-reversed": (
        "{record}: the objection against the withdrawal was granted, so the permit is treated as not withdrawn.",
        "{record}: het bezwaar tegen de intrekking is gegrond verklaard; de vergunning geldt als niet ingetrokken.",
    ),
    # gaps (DC-6)
    "gap-withdrawal": (
        "No permit from {start} to {last_day} ({days:day}): {record} was withdrawn from {start} and no other "
        "permit covers these days.",
        "Geen vergunning van {start} tot en met {last_day} ({days:day}): {record} is ingetrokken per {start} "
        "en geen andere vergunning dekt deze dagen.",
    ),
    "gap-late-application": (
        "No permit from {start} to {last_day} ({days:day}): the application {record} came too late to "
        "continue the earlier permit.",
        "Geen vergunning van {start} tot en met {last_day} ({days:day}): de aanvraag {record} kwam te laat "
        "om aan te sluiten op de vorige vergunning.",
    ),
    "gap-conditions-met-later": (
        "No permit from {start} to {last_day} ({days:day}): {record} starts only when all conditions were shown.",
        "Geen vergunning van {start} tot en met {last_day} ({days:day}): {record} gaat pas in toen aan alle "
        "voorwaarden was voldaan.",
    ),
    "gap-new-application": (
        "No permit from {start} to {last_day} ({days:day}): the next permit ({record}) starts on the day its "
        "application was received.",
        "Geen vergunning van {start} tot en met {last_day} ({days:day}): de volgende vergunning ({record}) "
        "gaat in op de ontvangstdatum van de aanvraag.",
    ),
    "gap-application-pending": (
        "No permit from {start} up to {as_of} ({days:day} so far); {record} is pending: waiting for a "
        "decision is lawful stay ({procedural_days:day}) but not toelating unless a permit is granted for it.",
        "Geen vergunning van {start} tot {as_of} ({days:day} tot nu); {record} is in behandeling: wachten op "
        "een besluit is rechtmatig verblijf ({procedural_days:day}) maar geen toelating, tenzij een "
        "vergunning over die periode wordt verleend.",
    ),
    "gap-application-refused": (
        "No permit from {start} to {last_day} ({days:day}); {record} was refused.",
        "Geen vergunning van {start} tot en met {last_day} ({days:day}); {record} is afgewezen.",
    ),
    "gap-expired": (
        "No permit from {start} to {last_day} ({days:day}): {record} expired and no new permit covers these days.",
        "Geen vergunning van {start} tot en met {last_day} ({days:day}): {record} is verlopen en geen nieuwe "
        "vergunning dekt deze dagen.",
    ),
    # notification (R2.2, R2.3)
    "notification-deadline": (
        "The relationship ended on {trigger} ({basis_text}). Reports must reach the IND within 4 weeks: "
        "{raw_wd}; moved past non-working days ({skipped}) to {deadline_wd}.",
        "De relatie is geëindigd op {trigger} ({basis_text}). De melding moet binnen 4 weken bij de IND zijn: "
        "{raw_wd}; verschoven voorbij niet-werkdagen ({skipped_nl}) naar {deadline_wd}.",
    ),
    "notification-deadline-plain": (
        "The relationship ended on {trigger} ({basis_text}). Reports must reach the IND within 4 weeks: by "
        "{deadline_wd}, a working day.",
        "De relatie is geëindigd op {trigger} ({basis_text}). De melding moet binnen 4 weken bij de IND zijn: "
        "uiterlijk {deadline_wd}, een werkdag.",
    ),
    "notification-on-time": (
        "The first report (by the {by_text}) was received on {received}, on or before the deadline "
        "{deadline}: on time.",
        "De eerste melding (door de {by_text}) is ontvangen op {received}, uiterlijk op de termijn {deadline}: "
        "op tijd.",
    ),
    "notification-late": (
        "The first report (by the {by_text}) was received on {received}, {days_late:day} after the deadline "
        "{deadline}: late.",
        "De eerste melding (door de {by_text}) is ontvangen op {received}, {days_late:day} na de termijn "
        "{deadline}: te laat.",
    ),
    "notification-missing": (
        "No report is on record and the deadline {deadline} has passed.",
        "Er is geen melding vastgelegd en de termijn {deadline} is verstreken.",
    ),
    "notification-not-yet-due": (
        "No report yet; it must reach the IND by {deadline_wd}.",
        "Nog geen melding; die moet uiterlijk {deadline_wd} bij de IND zijn.",
    ),
    "notification-fine": (
        "Late or missing reporting: a warning or an administrative fine (normally for the sponsor) is "
        "possible until {until}.",
        "Te late of ontbrekende melding: een waarschuwing of bestuurlijke boete (in de regel voor de "
        "referent) is mogelijk tot {until}.",
    ),
    # clocks (DC-5, R5.1, R5.2, R5.3, R6.*)
    "clock-in-gap": (
        "On {as_of} there is no permit (gap since {gap_start}): the clock has not restarted.",
        "Op {as_of} is er geen vergunning (verblijfsgat sinds {gap_start}): de termijn is nog niet opnieuw begonnen.",
    ),
    "clock-not-yet-admitted": (
        "On {as_of} there is no permit yet.",
        "Op {as_of} is er nog geen vergunning.",
    ),
    "clock-abroad": (
        "Abroad since {departed} for long enough to presume main residence abroad: the clock is not running.",
        "Sinds {departed} zo lang in het buitenland dat het hoofdverblijf vermoedelijk buiten Nederland ligt: "
        "de termijn loopt niet.",
    ),
    "absence-break": (
        "The stay abroad from {departed} to {returned} breaks the period: it restarts on the return date, {returned}.",
        "Het verblijf in het buitenland van {departed} tot {returned} onderbreekt de periode: die begint "
        "opnieuw op de terugkeerdatum, {returned}.",
    ),
    "age-8": (
        "Only years from age 8 count: the clock starts on the 8th birthday, {result}.",
        "Alleen jaren vanaf 8 jaar tellen: de termijn begint op de 8e verjaardag, {result}.",
    ),
    "pr-eligible": (
        "Uninterrupted lawful residence since {start}: the 5 years are complete on {complete}, the first day "
        "an application can be made.",
        "Onafgebroken rechtmatig verblijf sinds {start}: de 5 jaar zijn vol op {complete}, de eerste dag "
        "waarop de aanvraag kan worden ingediend.",
    ),
    "pr-eligible-decision": (
        "Uninterrupted lawful residence since {start}: the 5 years are complete on {complete}; with the "
        "decision date as reference the application can be filed from {eligible}.",
        "Onafgebroken rechtmatig verblijf sinds {start}: de 5 jaar zijn vol op {complete}; met de "
        "beslisdatum als peildatum kan de aanvraag vanaf {eligible} worden ingediend.",
    ),
    "eu-no-accrual": (
        "The current permit ({purpose_text}) is for a temporary purpose: it does not count toward EU "
        "long-term residence.",
        "De huidige vergunning ({purpose_text}) is voor een tijdelijk doel: die telt niet mee voor "
        "EU-langdurig ingezetene.",
    ),
    "eu-eligible": (
        "Counting back from {eligible} without a break to {start}, the weighted residence (temporary "
        "purposes 0, own study half) reaches 5 years; {bridged:day} of procedural stay bridge without "
        "counting.",
        "Terugtellend vanaf {eligible} zonder onderbreking tot {start} bereikt het gewogen verblijf "
        "(tijdelijke doelen 0, eigen studie de helft) 5 jaar; {bridged:day} procedureel verblijf "
        "overbruggen zonder mee te tellen.",
    ),
    "nat-standard": (
        "Uninterrupted toelating since {start}: {years:year} are complete on {eligible}.",
        "Onafgebroken toelating sinds {start}: {years:year} is vol op {eligible}.",
    ),
    "nat-spouse-married": (
        "Married on {married}; 3 years of marriage and cohabitation are complete on {eligible} (a residence "
        "gap does not reset this).",
        "Getrouwd op {married}; 3 jaar huwelijk en samenwoning zijn vol op {eligible} (een verblijfsgat zet "
        "deze termijn niet terug).",
    ),
    "nat-spouse-cohabitation-in-kingdom": (
        "Unmarried cohabitation in the Kingdom from {cohabitation_start}, directly followed by the marriage "
        "on {married}, counts: 3 years are complete on {eligible}.",
        "Ongehuwd samenwonen in het Koninkrijk vanaf {cohabitation_start}, direct gevolgd door het huwelijk "
        "op {married}, telt mee: 3 jaar is vol op {eligible}.",
    ),
    "nat-spouse-cohabitation-abroad": (
        "Cohabitation before the marriage was abroad and does not count; from the marriage on {married}, 3 "
        "years are complete on {eligible}.",
        "Samenwonen vóór het huwelijk was in het buitenland en telt niet mee; vanaf het huwelijk op "
        "{married} is 3 jaar vol op {eligible}.",
    ),
    "nat-spouse-cohabitation-after-marriage": (
        "Cohabitation began after the marriage, on {cohabitation_start}: 3 years of marriage and "
        "cohabitation are complete on {eligible}.",
        "De samenwoning begon na het huwelijk, op {cohabitation_start}: 3 jaar huwelijk en samenwoning zijn "
        "vol op {eligible}.",
    ),
    "nat-partner": (
        "Toelating without a break since {run_start} and cohabitation in the Kingdom since "
        "{cohabitation_start}: 3 years of both are complete on {eligible}.",
        "Onafgebroken toelating sinds {run_start} en samenwoning in het Koninkrijk sinds "
        "{cohabitation_start}: 3 jaar van beide is vol op {eligible}.",
    ),
    "nat-long-residence": (
        "{earlier:day} of toelating and main residence before the current period, which runs "
        "without a break since {start}: 2 years of it and 10 years in total ({total:day}) are "
        "complete on {eligible}.",
        "{earlier:day} toelating en hoofdverblijf vóór de huidige periode, die onafgebroken loopt "
        "sinds {start}: daarvan 2 jaar en in totaal 10 jaar ({total:day}) zijn vol op {eligible}.",
    ),
    "route-no-earlier-toelating": (
        "Only toelating in the current period (since {run_start}): the 10 years in total cannot come "
        "before the standard route.",
        "Alleen toelating in de huidige periode (sinds {run_start}): 10 jaar in totaal kan niet eerder "
        "zijn dan de standaardroute.",
    ),
    "route-standard-first": (
        "The standard route is complete on {standard}, before 10 years in total on {own}.",
        "De standaardroute is vol op {standard}, vóór 10 jaar in totaal op {own}.",
    ),
    "route-no-relationship": ("No relationship on record.", "Geen relatie vastgelegd."),
    "route-not-married": (
        "Not married or in a registered partnership.",
        "Niet getrouwd en geen geregistreerd partnerschap.",
    ),
    "route-not-unmarried": ("Only for unmarried partners.", "Alleen voor ongehuwde partners."),
    "route-not-dutch": ("The partner is not a Dutch citizen.", "De partner is geen Nederlander."),
    "route-separated": (
        "The relationship ended on {ended}: this route requires it to continue until the decision.",
        "De relatie is geëindigd op {ended}: deze route vereist dat die voortduurt tot de beslissing.",
    ),
    # independent residence (R7.1, R7.2)
    "independent-open": (
        "5 years of relationship and of partner permit are complete on {eligible}: independent residence "
        "can be requested.",
        "5 jaar relatie en verblijf bij partner zijn vol op {eligible}: voortgezet verblijf kan worden aangevraagd.",
    ),
    "independent-open-from": (
        "If the relationship and the partner permit continue, the 5 years are complete on {eligible}.",
        "Als de relatie en de vergunning doorlopen, zijn de 5 jaar vol op {eligible}.",
    ),
    "independent-too-short": (
        "Permit time on the basis of the relationship: {permit_time_text}; 5 years are needed, so the "
        "5-year route is not open.",
        "Verblijf op grond van de relatie: {permit_time_text}; er is 5 jaar nodig, dus deze route is niet open.",
    ),
    "independent-no-partner-permit": (
        "No partner permit on record.",
        "Geen verblijfsvergunning bij partner vastgelegd.",
    ),
    "independent-sponsor-temporary": (
        "The sponsor's own right is temporary: the 5-year independent route needs a sponsor with a "
        "non-temporary right.",
        "Het verblijfsrecht van de referent is tijdelijk: deze route vereist een referent met niet-tijdelijk "
        "verblijfsrecht.",
    ),
    "possible-domestic-violence": (
        "Possible route (not computed): a humanitarian permit for victims of domestic violence that caused "
        "the break-up (path: {path_text}). The application must be received by {file_by_wd} to avoid a gap.",
        "Mogelijke route (niet berekend): een humanitaire vergunning voor slachtoffers van huiselijk geweld "
        "dat tot de breuk leidde (route: {path_text}). De aanvraag moet uiterlijk {file_by_wd} zijn ontvangen "
        "om een verblijfsgat te voorkomen.",
    ),
    "possible-sponsor-died": (
        "Possible route (not computed): continued residence after the death of the sponsor. The application "
        "must be received by {file_by_wd} to avoid a gap.",
        "Mogelijke route (niet berekend): voortgezet verblijf na overlijden van de referent. De aanvraag moet "
        "uiterlijk {file_by_wd} zijn ontvangen om een verblijfsgat te voorkomen.",
    ),
    # procedures (R8.2, R8.3)
    "objection-deadline": (
        "Decision of {decided} ({record}, {decision_text}): an objection must be received within 4 weeks, "
        "by {deadline_wd} (status: {status_text}).",
        "Besluit van {decided} ({record}, {decision_text}): bezwaar moet binnen 4 weken zijn ontvangen, "
        "uiterlijk {deadline_wd} (stand: {status_text}).",
    ),
    "decision-regular": (
        "{record} received on {received}: the IND must decide within 90 days, by {due}; it may extend this "
        "to {extended}.",
        "{record} ontvangen op {received}: de IND moet binnen 90 dagen beslissen, uiterlijk {due}; "
        "verlenging tot {extended} is mogelijk.",
    ),
    "decision-naturalisation": (
        "{record} received on {received}: decision within 1 year, by {due}; it may be postponed to {extended}.",
        "{record} ontvangen op {received}: beslissing binnen 1 jaar, uiterlijk {due}; uitstel tot {extended} "
        "is mogelijk.",
    ),
    "decision-objection": (
        "{record}: the objection must be decided within 19 weeks after the objection term, by {due}; it may "
        "be extended to {extended}.",
        "{record}: op het bezwaar moet binnen 19 weken na afloop van de bezwaartermijn worden beslist, "
        "uiterlijk {due}; verlenging tot {extended} is mogelijk.",
    ),
    # conditions
    "cond-run-continues": (
        "{record} ends on {end}: the extension must be received by {last_valid} for the period to run on to "
        "{needed_until}.",
        "{record} eindigt op {end}: de verlenging moet uiterlijk {last_valid} zijn ontvangen om de periode "
        "door te laten lopen tot {needed_until}.",
    ),
    "cond-non-temporary-permit": (
        "A permit for a non-temporary purpose on the application date ({record}: {purpose_text}).",
        "Een vergunning voor een niet-tijdelijk doel op de aanvraagdatum ({record}: {purpose_text}).",
    ),
    "cond-integration": (
        "Civic-integration exam passed (recorded: {passed}).",
        "Inburgeringsexamen behaald (vastgelegd: {passed}).",
    ),
    "cond-income": (
        "Sufficient and durable income (not checked by this tool).",
        "Voldoende en duurzaam inkomen (niet gecontroleerd door dit programma).",
    ),
    "cond-main-residence": (
        "Main residence in the Netherlands (no absences of more than 4 months in 3 consecutive years).",
        "Hoofdverblijf in Nederland (niet 3 jaar achtereen meer dan 4 maanden weg).",
    ),
    "cond-absences": (
        "Absences in the 5 years below 6 consecutive months and 10 months in total.",
        "Afwezigheid in de 5 jaar korter dan 6 maanden aaneen en 10 maanden in totaal.",
    ),
    "cond-adult": (
        "Adult (18) on the request date (from {from}).",
        "Meerderjarig op de verzoekdatum (vanaf {from}).",
    ),
    "cond-pending-extension": (
        "An extension ({record}) is pending: a request is possible only once it is granted (option "
        "naturalisation_pending_extension).",
        "Er loopt een verlengingsaanvraag ({record}): een verzoek kan pas als die is ingewilligd (optie "
        "naturalisation_pending_extension).",
    ),
    "cond-spouse-dutch": (
        "The spouse is a Dutch citizen on the request date.",
        "De echtgenoot is Nederlander op de verzoekdatum.",
    ),
    "cond-partner-dutch": (
        "The partner is a Dutch citizen on the request date.",
        "De partner is Nederlander op de verzoekdatum.",
    ),
    "cond-relationship-continues": (
        "The relationship and cohabitation continue until the decision.",
        "De relatie en samenwoning duren voort tot de beslissing.",
    ),
    "cond-sponsor-non-temporary": (
        "The sponsor has a non-temporary right (sponsor: {status}).",
        "De referent heeft een niet-tijdelijk verblijfsrecht (referent: {status}).",
    ),
    "cond-file-before-withdrawal": (
        "File before the partner permit is withdrawn: received by {file_by}.",
        "Dien in vóórdat de vergunning wordt ingetrokken: uiterlijk {file_by} ontvangen.",
    ),
    # actions: what to do by when (timeline.actions)
    "action-report": (
        "Report the end of the relationship ({by_text}): the report must reach the IND by {date_wd} "
        "(4 weeks after {trigger}; Vb 4.43, 4.44a).",
        "Einde relatie melden ({by_text}): de melding moet uiterlijk {date_wd} bij de IND zijn "
        "(4 weken na {trigger}; art. 4.43, 4.44a Vb).",
    ),
    "action-objection": (
        "Objection against the decision of {decided} ({record}): it must be received by {date_wd} (4 weeks; Vw 69(1)).",
        "Bezwaar tegen het besluit van {decided} ({record}): het moet uiterlijk {date_wd} zijn ontvangen "
        "(4 weken; art. 69 lid 1 Vw).",
    ),
    "action-file-new-application": (
        "File a new application (change of purpose, independent residence or humanitarian) so that the IND "
        "receives it by {date_wd}: {record} ends on that day ({basis_text}) and a permit applied for starts "
        "on the day of receipt (Vw 26(1)), so receipt on or before {date} leaves no gap; every day later is "
        "a day of gap.",
        "Dien een nieuwe aanvraag in (wijziging verblijfsdoel, voortgezet verblijf of humanitair) die "
        "uiterlijk {date_wd} bij de IND is: {record} eindigt op die dag ({basis_text}) en een aangevraagde "
        "vergunning gaat in op de ontvangstdatum (art. 26 lid 1 Vw), dus ontvangst op of vóór {date} geeft "
        "geen verblijfsgat; elke dag later is een dag verblijfsgat.",
    ),
    "action-file-new-application-unknown": (
        "File a new application (change of purpose, independent residence or humanitarian) before the IND "
        "withdraws {record}: the withdrawal date is not known yet ({basis_text}); a permit applied for starts "
        "on the day of receipt (Vw 26(1)). At the latest by {date_wd}, the permit's own end.",
        "Dien een nieuwe aanvraag in (wijziging verblijfsdoel, voortgezet verblijf of humanitair) vóórdat de "
        "IND {record} intrekt: de intrekkingsdatum is nog niet bekend ({basis_text}); een aangevraagde "
        "vergunning gaat in op de ontvangstdatum (art. 26 lid 1 Vw). Uiterlijk {date_wd}, de einddatum van "
        "de vergunning.",
    ),
    "action-file-new-application-notification": (
        "File a new application (change of purpose, independent residence or humanitarian) so that the IND "
        "receives it no later than the first report: {record} ends on the day the report is received "
        "({basis_text}), and the report is due by {date_wd}; a permit applied for starts on the day of "
        "receipt (Vw 26(1)).",
        "Dien een nieuwe aanvraag in (wijziging verblijfsdoel, voortgezet verblijf of humanitair) die niet "
        "later dan de eerste melding bij de IND is: {record} eindigt op de ontvangstdatum van de melding "
        "({basis_text}), en de melding moet uiterlijk {date_wd} binnen zijn; een aangevraagde vergunning gaat "
        "in op de ontvangstdatum (art. 26 lid 1 Vw).",
    ),
    "action-extension-window-opens": (
        "{record} ({purpose_text}) ends on {end} (last valid day {last_valid}): an extension can be filed "
        "from {date_wd}, {months:month} before the end date.",
        "{record} ({purpose_text}) eindigt op {end} (laatste geldige dag {last_valid}): verlenging kan worden "
        "aangevraagd vanaf {date_wd}, {months:month} vóór de einddatum.",
    ),
    "action-extension-last-timely-day": (
        "{record}: the extension must be received by {date_wd}, the last valid day (Vb 3.80(1)), for the "
        "permit to continue without a break.",
        "{record}: de verlengingsaanvraag moet uiterlijk {date_wd}, de laatste geldige dag, zijn ontvangen "
        "(art. 3.80 lid 1 Vb) om zonder onderbreking door te lopen.",
    ),
    "action-extension-tolerance-end": (
        "{record}: an extension received after the last valid day but by {date_wd} (four weeks, IND policy "
        "since 1 July 2022) is still granted without a gap; after that the permit starts only on receipt.",
        "{record}: een verlengingsaanvraag die na de laatste geldige dag maar uiterlijk {date_wd} is "
        "ontvangen (vier weken, IND-beleid sinds 1 juli 2022) wordt nog aansluitend verleend; daarna gaat de "
        "vergunning pas in op de ontvangstdatum.",
    ),
    "action-earliest-permanent-residence": (
        "Permanent residence (national) can be applied for from {date_wd}.",
        "Verblijfsvergunning voor onbepaalde tijd kan worden aangevraagd vanaf {date_wd}.",
    ),
    "action-earliest-eu-long-term": (
        "EU long-term residence can be applied for from {date_wd}.",
        "EU-langdurig ingezetene kan worden aangevraagd vanaf {date_wd}.",
    ),
    "action-earliest-naturalisation": (
        "Naturalisation can be requested from {date_wd} (route: {route_text}).",
        "Naturalisatie kan worden verzocht vanaf {date_wd} (route: {route_text}).",
    ),
    "action-earliest-independent-residence": (
        "Independent residence (humanitarian non-temporary, after 5 years of relationship and partner permit) "
        "can be requested from {date_wd}.",
        "Voortgezet verblijf (humanitair niet-tijdelijk, na 5 jaar relatie en verblijf bij partner) kan "
        "worden aangevraagd vanaf {date_wd}.",
    ),
    "action-still-needed": ("Still needed: {items}", "Nog nodig: {items}"),
    "scenario-title": (
        "Scenarios: {id}  (as of {as_of}; {count:scenario}, the base case first)",
        "Scenario's: {id}  (peildatum {as_of}; {count:scenario}, het basisgeval eerst)",
    ),
    "action-filed": (
        "On record: {application} received on {received}.",
        "Vastgelegd: {application} ontvangen op {received}.",
    ),
    # warnings
    "warn-no-purpose": (
        "{record}: granted, but no purpose is known; it is not counted as a permit.",
        "{record}: ingewilligd, maar het verblijfsdoel is onbekend; telt niet als vergunning.",
    ),
    "warn-extension-without-permit": (
        "{record}: an extension without an earlier permit on record; treated as a first application.",
        "{record}: een verlenging zonder eerdere vergunning; behandeld als eerste aanvraag.",
    ),
    "warn-extension-too-early": (
        "{record}: received on {received}, before the earliest filing date {earliest}; the IND may reject "
        "it as premature.",
        "{record}: ontvangen op {received}, vóór de vroegste indieningsdatum {earliest}; de IND kan de "
        "aanvraag als te vroeg afwijzen.",
    ),
    "warn-derived-permit-empty": (
        "{record}: the computed start {start} is not before the end {end}; no permit is counted.",
        "{record}: de berekende ingangsdatum {start} ligt niet vóór de einddatum {end}; geen vergunning geteld.",
    ),
    "warn-overlap": (
        "{first} and {second} overlap from {start}; the days are counted once.",
        "{first} en {second} overlappen vanaf {start}; de dagen tellen één keer.",
    ),
    "warn-overlap-more": (
        "{n:more-overlap} between permits, not listed; the days are counted once.",
        "Nog {n:overlap} tussen vergunningen, niet genoemd; de dagen tellen één keer.",
    ),
    "warn-notification-without-date": (
        "A report is on record but no separation or change date is known: no reporting deadline computed.",
        "Er is een melding, maar geen datum van het einde van de relatie: geen meldtermijn berekend.",
    ),
    "warn-no-decree": (
        "The deadline {deadline} falls in {year}, a year with no recorded decree of equated days: a bridge "
        "day may be missing. Check the Staatscourant.",
        "De termijn {deadline} valt in {year}, een jaar zonder vastgelegd gelijkstellingsbesluit: een "
        "brugdag kan ontbreken. Controleer de Staatscourant.",
    ),
    "warn-out-of-scope-eu-sponsor": (
        "The sponsor is an EU citizen: EU free-movement rules apply, which this tool does not compute.",
        "De referent is EU-burger: het EU-vrij verkeer geldt, dat dit programma niet berekent.",
    ),
    "warn-out-of-scope-turkish": (
        "Turkish national: Association Decision 1/80 gives other rules (for example no retroactive "
        "withdrawal); not computed.",
        "Turkse nationaliteit: Besluit 1/80 kent andere regels (bijvoorbeeld geen intrekking met "
        "terugwerkende kracht); niet berekend.",
    ),
    "warn-sponsor-permit-end-missing": (
        "The sponsor's permit is time-limited but its end date (sponsor.permit_end) is not given.",
        "Het verblijfsrecht van de referent is tijdelijk, maar de einddatum ontbreekt.",
    ),
    "warn-no-permits": ("No permits on record.", "Geen vergunningen vastgelegd."),
    "warn-partner-permit-without-relationship": (
        "{record} is a partner permit, but no relationship is on record: independent residence after the "
        "relationship (R7.1) is not assessed. Add [relationship] to the case file to assess it.",
        "{record} is een vergunning bij partner, maar er is geen relatie vastgelegd: voortgezet verblijf na de "
        "relatie (R7.1) wordt niet beoordeeld. Voeg [relationship] toe aan het dossierbestand om het te beoordelen.",
    ),
}

#: Short labels: statuses, causes, purposes, routes, parties, bases, headings.
LABELS: dict[str, tuple[str, str]] = {
    "on-time": ("on time", "op tijd"),
    "late": ("late", "te laat"),
    "missing": ("missing", "ontbreekt"),
    "not-yet-due": ("not yet due", "nog niet verstreken"),
    "open": ("open", "open"),
    "expired": ("expired", "verstreken"),
    "objected-on-time": ("objection on time", "bezwaar op tijd"),
    "objected-late": ("objection late", "bezwaar te laat"),
    "open-from": ("open from", "open vanaf"),
    "not-open": ("not open", "niet open"),
    "sponsor": ("sponsor", "referent"),
    "foreign-national": ("foreign national", "vreemdeling"),
    "separation": ("the factual separation date", "de datum van feitelijke scheiding"),
    "reported": ("the end date stated in the first report", "de einddatum in de eerste melding"),
    "divorce": ("the divorce date", "de datum van de echtscheiding"),
    "notification": ("the date the IND received the first report", "de ontvangstdatum van de eerste melding"),
    "decision": ("the date of the withdrawal decision", "de datum van het intrekkingsbesluit"),
    "recorded": ("the date stated in the withdrawal decision", "de datum in het intrekkingsbesluit"),
    "partner": ("partner", "verblijf bij partner"),
    "work": ("work", "arbeid"),
    "highly-skilled": ("highly skilled migrant", "kennismigrant"),
    "study": ("study", "studie"),
    "search-year": ("search year", "zoekjaar"),
    "humanitarian-temporary": ("humanitarian (temporary)", "humanitair tijdelijk"),
    "humanitarian-non-temporary": ("humanitarian (non-temporary)", "humanitair niet-tijdelijk"),
    "permanent": ("permanent residence", "onbepaalde tijd"),
    "eu-long-term": ("EU long-term resident", "EU-langdurig ingezetene"),
    "other-temporary": ("other (temporary)", "overig (tijdelijk)"),
    "other-non-temporary": ("other (non-temporary)", "overig (niet-tijdelijk)"),
    "standard": ("standard (5 years)", "standaard (5 jaar)"),
    "spouse": ("spouse of a Dutch citizen (3 years)", "echtgenoot van een Nederlander (3 jaar)"),
    "withdrawal": ("withdrawal", "intrekking"),
    "late-application": ("late application", "te late aanvraag"),
    "conditions-met-later": ("conditions met later", "later aan voorwaarden voldaan"),
    "new-application": ("new application", "nieuwe aanvraag"),
    "application-pending": ("application pending", "aanvraag in behandeling"),
    "application-refused": ("application refused", "aanvraag afgewezen"),
    "in-gap": ("in a residence gap on the as-of date", "in een verblijfsgat op de peildatum"),
    "not-yet-admitted": ("no permit yet", "nog geen vergunning"),
    "abroad": ("main residence abroad", "hoofdverblijf in het buitenland"),
    "temporary-purpose": (
        "current permit is for a temporary purpose",
        "huidige vergunning heeft tijdelijk doel",
    ),
    "not-married": ("not married", "niet getrouwd"),
    "not-unmarried": ("not applicable (married)", "niet van toepassing (getrouwd)"),
    "not-dutch": ("partner not Dutch", "partner geen Nederlander"),
    "no-relationship": ("no relationship", "geen relatie"),
    "no-earlier-toelating": ("no toelating before the current period", "geen toelating vóór de huidige periode"),
    "standard-first": ("the standard route comes first", "de standaardroute is eerder"),
    "too-short": ("less than 5 years", "korter dan 5 jaar"),
    "no-partner-permit": ("no partner permit", "geen vergunning bij partner"),
    "sponsor-temporary": ("sponsor's right temporary", "referent heeft tijdelijk recht"),
    "domestic-violence": ("domestic violence", "huiselijk geweld"),
    "sponsor-died": ("death of the sponsor", "overlijden van de referent"),
    "temporary-first": ("temporary permit first", "eerst tijdelijke vergunning"),
    "direct": ("directly non-temporary", "direct niet-tijdelijk"),
    "separated": ("relationship ended", "relatie beëindigd"),
    "first": ("first application", "eerste aanvraag"),
    "extension": ("extension", "verlenging"),
    "change-of-purpose": ("change of purpose", "wijziging verblijfsdoel"),
    "permanent-residence": ("permanent residence", "verblijf onbepaalde tijd"),
    "naturalisation": ("naturalisation", "naturalisatie"),
    "objection": ("objection", "bezwaar"),
    "refusal-first": ("refusal", "afwijzing"),
    "refusal-extension": ("refusal of the extension", "afwijzing verlenging"),
    "refusal-change-of-purpose": ("refusal of the change of purpose", "afwijzing wijziging verblijfsdoel"),
    "refusal-permanent-residence": ("refusal of permanent residence", "afwijzing verblijf onbepaalde tijd"),
    "refusal-eu-long-term": ("refusal of EU long-term residence", "afwijzing EU-langdurig ingezetene"),
    "refusal-naturalisation": ("refusal of naturalisation", "afwijzing naturalisatie"),
    "yes": ("yes", "ja"),
    "no": ("no", "nee"),
    "unknown": ("unknown", "onbekend"),
    "ongoing": ("ongoing", "loopt nog"),
    "days": ("days", "dagen"),
    "last-day": ("last day", "laatste dag"),
    "rule": ("Rule", "Regel"),
    "status-on": ("Status on", "Stand op"),
    # scenarios (timeline.scenarios)
    "scenario-base": ("base case", "basisgeval"),
    "scenario-invalid": ("invalid", "ongeldig"),
    "scenario-none": ("none", "geen"),
    "scenario-col-scenario": ("scenario", "scenario"),
    "scenario-col-gap-days": ("gap days", "gatdagen"),
    "scenario-col-reporting": ("reporting deadline", "meldtermijn"),
    "scenario-col-pr": ("permanent", "onbep. tijd"),
    "scenario-col-eu": ("EU long-term", "EU-langdurig"),
    "scenario-col-nat": ("naturalisation", "naturalisatie"),
    "scenario-differences": (
        "Difference against the base case (+ is later or more days of gap)",
        "Verschil met het basisgeval (+ is later of meer dagen verblijfsgat)",
    ),
    "scenario-no-difference": ("no difference", "geen verschil"),
    "scenario-gaps": ("Residence gaps per scenario", "Verblijfsgaten per scenario"),
    "scenario-no-gaps": ("no gaps", "geen verblijfsgaten"),
    "scenario-extremes": (
        "Best and worst case over the varied values",
        "Beste en slechtste geval over de gevarieerde waarden",
    ),
    "scenario-best": ("best", "beste"),
    "scenario-same": ("the same in every scenario", "in elk scenario gelijk"),
    "scenario-route-standard": ("standard", "standaard"),
    "scenario-route-spouse": ("spouse", "echtgenoot"),
    "scenario-route-partner": ("partner", "partner"),
    "scenario-route-long-residence": ("10 years in total", "10 jaar in totaal"),
    "scenario-worst": ("worst", "slechtste"),
    "scenario-out-gap_days": ("gap days", "dagen verblijfsgat"),
    "scenario-out-reporting_deadline": ("reporting deadline", "meldtermijn"),
    "scenario-out-reporting_status": ("reporting", "melding"),
    "scenario-out-permanent_residence": ("permanent residence", "onbepaalde tijd"),
    "scenario-out-eu_long_term": ("EU long-term residence", "EU-langdurig ingezetene"),
    "scenario-out-naturalisation": ("naturalisation", "naturalisatie"),
    "scenario-out-naturalisation.standard": ("naturalisation (standard)", "naturalisatie (standaard)"),
    "scenario-out-naturalisation.spouse": ("naturalisation (spouse)", "naturalisatie (echtgenoot)"),
    "scenario-out-naturalisation.partner": ("naturalisation (unmarried partner)", "naturalisatie (ongehuwde partner)"),
    "scenario-out-naturalisation.long-residence": (
        "naturalisation (10 years in total)",
        "naturalisatie (10 jaar in totaal)",
    ),
    # actions (timeline.actions): status, party, short titles (calendar summaries)
    "action-ahead": ("to do", "te doen"),
    # status "passed" reads by kind (timeline.render.action_status_text): a deadline or the end of
    # a window was missed; an eligibility date or an opening window was reached.
    "action-missed": ("missed", "gemist"),
    "action-can-apply": ("can apply now", "kan nu aanvragen"),
    "action-reached": ("date reached", "datum bereikt"),
    "action-met": ("done", "gedaan"),
    "action-both": ("sponsor and foreign national", "referent en vreemdeling"),
    "action-report": ("Report the end of the relationship to the IND", "Einde relatie melden bij de IND"),
    "action-objection": ("Objection deadline", "Bezwaartermijn"),
    "action-file-new-application": (
        "Latest receipt of a new application without a gap",
        "Uiterste ontvangst nieuwe aanvraag zonder verblijfsgat",
    ),
    "action-extension-window-opens": ("Extension window opens", "Verlenging kan worden aangevraagd"),
    "action-extension-last-timely-day": ("Last day to file the extension in time", "Laatste dag tijdige verlenging"),
    "action-extension-tolerance-end": (
        "Last day of the 4-week tolerance for a late extension",
        "Laatste dag van de tolerantie van 4 weken",
    ),
    "action-earliest-permanent-residence": (
        "Permanent residence can be applied for",
        "Onbepaalde tijd aanvragen mogelijk",
    ),
    "action-earliest-eu-long-term": ("EU long-term residence can be applied for", "EU-langdurig ingezetene mogelijk"),
    "action-earliest-naturalisation": ("Naturalisation can be requested", "Naturalisatieverzoek mogelijk"),
    "action-earliest-independent-residence": ("Independent residence can be requested", "Voortgezet verblijf mogelijk"),
}
# "partner" is both a purpose and a naturalisation route; the route label is separate.
ROUTE_LABELS = {
    "standard": LABELS["standard"],
    "spouse": LABELS["spouse"],
    "partner": (
        "unmarried partner of a Dutch citizen (3 years)",
        "ongehuwde partner van een Nederlander (3 jaar)",
    ),
    "long-residence": (
        "10 years in total, the last 2 without a break",
        "10 jaar in totaal, de laatste 2 onafgebroken",
    ),
}


def label(key: str | None, lang: str = "en") -> str:
    """The short label for ``key`` in ``lang`` (the key itself when unknown)."""
    if key is None:
        return "-"
    pair = LABELS.get(key)
    return key if pair is None else pair[LANGS.index(lang)]


def _value(value: Any, lang: str) -> str:
    if isinstance(value, date):
        return format_date(value, lang)
    if value is None:
        return "-"
    return str(value)


def text(key: str, params: dict[str, Any], lang: str = "en") -> str:
    """Render message ``key`` with ``params`` in ``lang``."""
    if lang not in LANGS:
        raise ValueError(f"language must be one of {', '.join(LANGS)}, not {lang!r}")
    template = MESSAGES[key][LANGS.index(lang)]
    values: dict[str, Any] = {}
    for name, value in params.items():
        # Counts stay numbers so that a template can pluralise them ({days:day}).
        values[name] = value if isinstance(value, int) and not isinstance(value, bool) else _value(value, lang)
        if isinstance(value, date):
            values[f"{name}_wd"] = format_date(value, lang, weekday=True)
    for name in ("basis", "by", "purpose", "status", "path", "kind", "decision"):
        if name in params:
            values[f"{name}_text"] = label(params[name], lang)
    if "permit_time" in params and isinstance(params["permit_time"], tuple):
        years, months, days = params["permit_time"]
        values["permit_time_text"] = duration(years, months, days, lang)
    return fill(template, _Missing(values), lang)


class _Missing(dict):
    def __missing__(self, key: str) -> str:
        return "-"
