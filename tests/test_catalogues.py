"""The text catalogues (timeline/locale/<lang>/LC_MESSAGES/timeline.po and .mo; issue 15).

Every key exists in every language; every placeholder of a translation is one the English
text has, and the other way round; each committed .mo is the compilation of its .po; a
placeholder without a value is an error; plural forms come from the catalogue; a third
language is one more catalogue. Each check is also run on a damaged catalogue, to show
that it fails.
"""

from __future__ import annotations

import shutil
import string
from datetime import date
from pathlib import Path

import pytest

from timeline import catalogues, i18n

LOCALE = Path(catalogues.LOCALE_DIR)
SOURCE = "en"  # the reference catalogue: every other language has exactly its keys and placeholders


def entries(lang: str, locale: Path = LOCALE) -> list[catalogues.Entry]:
    path = catalogues.po_path(lang, str(locale))
    return catalogues.parse_po(Path(path).read_text(encoding="utf-8"), path)


def keyed(lang: str, locale: Path = LOCALE) -> dict[tuple[str | None, str], catalogues.Entry]:
    return {(e.context, e.msgid): e for e in entries(lang, locale) if e.msgid}


def fields(template: str) -> set[str]:
    """The placeholders of ``template``: {"days", "record"} for "{record} ... {days:day}"."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def units(template: str) -> set[str]:
    """The units that ``template`` counts in: {"day"} for "{days:day}" (a language may choose its own)."""
    return {spec for _, name, spec, _ in string.Formatter().parse(template) if name is not None and spec}


def problems(lang: str, locale: Path = LOCALE) -> list[str]:
    """What is wrong with the catalogue of ``lang`` against the English one: keys, plurals, placeholders."""
    source, other = keyed(SOURCE, locale), keyed(lang, locale)
    unit_keys = {key for ctx, key in other if ctx == "unit"}
    found = [f"{lang}: missing {ctx}/{key}" for ctx, key in source.keys() - other.keys()]
    found += [f"{lang}: not in {SOURCE}: {ctx}/{key}" for ctx, key in other.keys() - source.keys()]
    for k in source.keys() & other.keys():
        want, got = source[k], other[k]
        if got.fuzzy:
            found.append(f"{lang}: {k[0]}/{k[1]} is marked fuzzy")
        if (want.msgid_plural is None) != (got.msgid_plural is None):
            found.append(f"{lang}: {k[0]}/{k[1]}: plural in one language only")
        for text in got.msgstr:
            if not text:
                found.append(f"{lang}: {k[0]}/{k[1]}: empty text")
            if fields(text) != fields(want.msgstr[0]):
                have, need = sorted(fields(text)), sorted(fields(want.msgstr[0]))
                found.append(f"{lang}: {k[0]}/{k[1]}: placeholders {have} != {need}")
            if units(text) - unit_keys:
                found.append(f"{lang}: {k[0]}/{k[1]}: no unit {sorted(units(text) - unit_keys)} in the catalogue")
    return sorted(found)


def test_there_is_one_catalogue_per_language_and_the_languages_come_from_them() -> None:
    assert i18n.LANGS == catalogues.languages() == ("en", "nl")
    from timeline import cli

    assert cli.LANGS is i18n.LANGS


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_every_key_is_in_every_language_with_the_same_placeholders(lang: str) -> None:
    assert problems(lang) == []


def test_the_catalogues_hold_every_kind_of_text() -> None:
    contexts = {ctx for ctx, _ in keyed(SOURCE)}
    assert contexts >= {"message", "label", "route", "heading", "chart", "report", "scenario-chart", "unit", "option"}
    assert contexts >= {"calendar", "citation", "holiday", "month", "month-short", "weekday", "date", "number"}
    assert len(keyed(SOURCE)) > 450


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_each_mo_is_the_compilation_of_its_po(lang: str) -> None:
    """Nobody edits a .po and forgets to run `python -m timeline.catalogues` (or edits the .mo by hand)."""
    mo = Path(catalogues.po_path(lang)).with_suffix(".mo")
    assert mo.read_bytes() == catalogues.mo_bytes(entries(lang)), f"run: python -m timeline.catalogues ({mo})"


def test_every_template_placeholder_is_filled_and_a_missing_one_raises() -> None:
    params = {"start": date(2026, 1, 5), "last_day": date(2026, 2, 1), "days": 28, "record": "P2"}
    want = "No permit from 5 January 2026 to 1 February 2026 (28 days)"
    assert i18n.text("gap-withdrawal", params, "en").startswith(want)
    for lang in i18n.LANGS:
        with pytest.raises(KeyError, match="last_day"):
            i18n.text("gap-withdrawal", {k: v for k, v in params.items() if k != "last_day"}, lang)
        with pytest.raises(KeyError, match=r"\{n\}"):
            i18n.phrase("chart", "gap", lang)
    # A value that is None (not known) still reads "-", with its weekday form.
    assert "from -)" in i18n.text("cond-adult", {"from": None}, "en")
    assert "by -." in i18n.text("notification-not-yet-due", {"deadline": None}, "en")


def test_an_unknown_key_or_language_raises() -> None:
    with pytest.raises(i18n.MissingText, match="no-such-message"):
        i18n.text("no-such-message", {}, "nl")
    with pytest.raises(ValueError, match="language must be one of en, nl"):
        i18n.text("warn-no-permits", {}, "fr")
    assert i18n.label("no-such-label", "nl") == "no-such-label"  # labels fall back to the key


@pytest.mark.parametrize(
    ("n", "en", "nl"),
    [(0, "0 days", "0 dagen"), (1, "1 day", "1 dag"), (2, "2 days", "2 dagen"), (92, "92 days", "92 dagen")],
)
def test_plural_forms_come_from_the_catalogue(n: int, en: str, nl: str) -> None:
    assert (i18n.count(n, "day", "en"), i18n.count(n, "day", "nl")) == (en, nl)
    assert i18n.fill("{n:day}", {"n": n}, "nl") == nl
    assert i18n.catalogue("en").npgettext("unit", "day", "day", n) == en.split()[1]


def test_plural_forms_by_unit_and_sign() -> None:
    assert [i18n.count(n, "year", "nl") for n in (1, 5)] == ["1 jaar", "5 jaar"]  # Dutch: "jaar" after any number
    assert [i18n.count(n, "year", "en") for n in (1, 5)] == ["1 year", "5 years"]
    assert i18n.count(-1, "day", "nl", signed=True) == "-1 dag"
    assert i18n.count(1234, "case", "nl", sep=True) == "1.234 gevallen"
    assert i18n.fill("{n:more-overlap}", {"n": 1}, "en") == "1 more overlap"


def test_holiday_names_come_from_the_catalogue() -> None:
    assert i18n.holiday_name("Liberation Day; Ascension Day", "nl") == "Bevrijdingsdag; Hemelvaartsdag"
    days = ((date(2026, 4, 3), "Good Friday"), (date(2026, 4, 4), "Saturday"))
    params = {"trigger": date(2026, 3, 6), "basis": "separation", "raw": date(2026, 4, 3)}
    params |= {"deadline": date(2026, 4, 7), "non_working": days}
    assert "(2026-04-03 (Goede Vrijdag), 2026-04-04 (zaterdag))" in i18n.text("notification-deadline", params, "nl")


def test_every_holiday_name_atw_can_give_has_a_text() -> None:
    from timeline.atw import _WEEKEND, statutory_holidays

    names = {part for y in range(1978, 2031) for n in statutory_holidays(y).values() for part in n.split("; ")}
    for lang in i18n.LANGS:
        for name in names | set(_WEEKEND.values()):
            assert i18n.holiday_name(name, lang)


def test_every_citation_has_a_title_in_every_language() -> None:
    from timeline.citations import CITATIONS

    rules = {key for ctx, key in keyed(SOURCE) if ctx == "citation"}
    assert rules == set(CITATIONS)


def test_every_option_has_a_text_and_timeline_options_follows_lang() -> None:
    from click.testing import CliRunner

    from timeline.cli import main
    from timeline.options import OPTIONS

    assert {key for ctx, key in keyed(SOURCE) if ctx == "option"} == set(OPTIONS) | {"option-line"}
    assert OPTIONS["dv_route"].help == OPTIONS["dv_route"].text("en")
    out = CliRunner().invoke(main, ["options", "--lang", "nl"]).output
    assert "end_date_convention (OQ-1): standaard exclusive; keuzes: exclusive, inclusive\n    Of de einddatum" in out


# --- damaged and added catalogues -------------------------------------------------------


@pytest.fixture
def locale_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the catalogues that i18n reads instead of the package's."""
    copy = tmp_path / "locale"
    shutil.copytree(LOCALE, copy)
    monkeypatch.setattr(i18n, "LOCALE_DIR", str(copy))
    monkeypatch.setattr(i18n, "_catalogues", {})
    monkeypatch.setattr(i18n, "_dates", {})
    return copy


def add_language(locale: Path, lang: str, po: str) -> None:
    folder = locale / lang / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "timeline.po").write_text(po, encoding="utf-8")
    catalogues.compile_all(str(locale))


def german(source: str) -> str:
    """The English catalogue made into a (partly) German one: a few texts translated."""
    po = source.replace('"Language: en\\n"', '"Language: de\\n"')
    po = po.replace('msgstr "March"', 'msgstr "März"').replace('msgstr "Thursday"', 'msgstr "Donnerstag"')
    po = po.replace('msgstr "{day} {month} {year}"', 'msgstr "{day}. {month} {year}"')
    po = po.replace('msgstr[0] "day"\nmsgstr[1] "days"', 'msgstr[0] "Tag"\nmsgstr[1] "Tage"')
    return po


def test_a_third_language_is_one_more_catalogue(locale_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    add_language(locale_copy, "de", german((LOCALE / "en" / "LC_MESSAGES" / "timeline.po").read_text(encoding="utf-8")))
    langs = i18n.languages(str(locale_copy))
    assert langs == ("de", "en", "nl")
    monkeypatch.setattr(i18n, "LANGS", langs)
    assert problems("de", locale_copy) == []
    assert i18n.format_date(date(2021, 3, 11), "de", weekday=True) == "Donnerstag 11. März 2021"
    assert [i18n.count(n, "day", "de") for n in (1, 3)] == ["1 Tag", "3 Tage"]
    missing = i18n.text("notification-missing", {"deadline": date(2021, 3, 11)}, "de")
    assert missing.endswith("11. März 2021 has passed.")


def test_the_checks_fail_on_a_damaged_catalogue(locale_copy: Path) -> None:
    po = (LOCALE / "nl" / "LC_MESSAGES" / "timeline.po").read_text(encoding="utf-8")
    # One text loses a placeholder, one gains an unknown one, one entry is dropped.
    po = po.replace('"{days_late:day} na de termijn', '"{late:day} na de termijn', 1)
    po = po.replace("{count:scenario}", "{count:scenarios}", 1)
    po = po.replace('msgid "no"\nmsgstr "nee"', 'msgid "no"\nmsgstr ""', 1)  # left untranslated
    po = po.replace('msgstr "Geen vergunningen vastgelegd."', 'msgstr "Geen {x}."')
    start = po.index('msgctxt "label"\nmsgid "yes"')
    po = po[:start] + po[po.index("\n\n", start) + 2 :]
    shutil.rmtree(locale_copy / "nl")
    add_language(locale_copy, "nl", po)
    found = problems("nl", locale_copy)
    assert "nl: missing label/yes" in found
    assert any("message/notification-late: placeholders" in p for p in found)
    assert any("message/warn-no-permits: placeholders" in p for p in found)
    assert "nl: message/scenario-title: no unit ['scenarios'] in the catalogue" in found
    # and at run time the damaged catalogue fails loudly, not with a "-"
    with pytest.raises(i18n.MissingText, match="label/yes"):
        i18n.lookup("label", "yes", "nl")
    with pytest.raises(KeyError, match="x"):
        i18n.text("warn-no-permits", {}, "nl")
    assert "nl: label/no: empty text" in found
    with pytest.raises(i18n.MissingText, match="label/no"):
        i18n.lookup("label", "no", "nl")


def test_a_stale_mo_is_caught(locale_copy: Path) -> None:
    po = locale_copy / "nl" / "LC_MESSAGES" / "timeline.po"
    po.write_text(po.read_text(encoding="utf-8").replace('msgstr "ja"', 'msgstr "jawel"'), encoding="utf-8")
    fresh = catalogues.mo_bytes(entries("nl", locale_copy))
    assert (locale_copy / "nl" / "LC_MESSAGES" / "timeline.mo").read_bytes() != fresh


def test_the_compiler_matches_gnu_msgfmt_where_available(tmp_path: Path) -> None:
    """The .mo reads back the same through gettext as the .po says (and as GNU msgfmt would write)."""
    import gettext

    for lang in i18n.LANGS:
        with open(Path(catalogues.po_path(lang)).with_suffix(".mo"), "rb") as f:
            t = gettext.GNUTranslations(f)
        for e in entries(lang):
            if not e.msgid:
                continue
            if e.msgid_plural is None:
                assert t.pgettext(e.context, e.msgid) == e.msgstr[0]
            else:
                assert [t.npgettext(e.context, e.msgid, e.msgid_plural, n) for n in (1, 2)] == list(e.msgstr)
    if shutil.which("msgfmt"):
        import subprocess

        for lang in i18n.LANGS:
            out = tmp_path / f"{lang}.mo"
            subprocess.run(["msgfmt", "--check", "-o", str(out), catalogues.po_path(lang)], check=True)
            with open(out, "rb") as f:
                gnu = gettext.GNUTranslations(f)
            with open(Path(catalogues.po_path(lang)).with_suffix(".mo"), "rb") as f:
                ours = gettext.GNUTranslations(f)
            assert gnu._catalog == ours._catalog  # the parsed tables, compared whole


@pytest.mark.parametrize(
    ("po", "error"),
    [
        ('msgid "a"\nmsgstr "b"\nmsgid "a"\nmsgstr "c"\n', "given twice"),
        ('msgid "a"\n', "has no msgstr"),
        ('msgid "a"\nmsgstr b\n', "expected a quoted string"),
        ('msgid "a"\nmsgid_plural "as"\nmsgstr[1] "b"\n', "needs msgstr"),
        ('msgkey "a"\n', "unknown keyword"),
    ],
)
def test_a_malformed_po_names_file_and_line(po: str, error: str) -> None:
    with pytest.raises(catalogues.CatalogueError, match=error) as info:
        catalogues.parse_po(po, "x.po")
    assert str(info.value).startswith("x.po")


def test_the_catalogue_reader_finds_every_text_as_gettext_does() -> None:
    """i18n.Catalogue looks texts up in the .mo where they lie (bisection over the sorted
    keys): every text of every catalogue, plural forms included, is the one the standard
    library's GNUTranslations reads; a key that is absent, or only a prefix of one, is
    MissingText."""
    import gettext

    for lang in i18n.LANGS:
        path = Path(catalogues.po_path(lang)).with_suffix(".mo")
        with open(path, "rb") as f:
            gnu = gettext.GNUTranslations(f)
        ours = i18n.Catalogue(lang, path.read_bytes())
        keys = [ours._key(i) for i in range(ours._n)]
        assert keys == sorted(keys) and len(keys) > 1000
        for e in entries(lang):
            if not e.msgid or e.fuzzy or not any(e.msgstr):
                continue
            if e.msgid_plural is None:
                assert ours.pgettext(e.context, e.msgid) == gnu.pgettext(e.context, e.msgid)
            else:
                for n in (0, 1, 2, 5, 21):
                    got = ours.npgettext(e.context, e.msgid, e.msgid_plural, n)
                    assert got == gnu.npgettext(e.context, e.msgid, e.msgid_plural, n)
        for context, key in (("message", "no-such-key"), ("label", ""), ("unit", "da"), ("zzz", "day")):
            with pytest.raises(i18n.MissingText):
                ours.pgettext(context, key)
        with pytest.raises(i18n.MissingText):
            ours.npgettext("unit", "da", "das", 2)
        with pytest.raises(i18n.MissingText):
            ours.npgettext("label", "partner", "partner", 2)  # a text without plural forms
    for bad in (b"\x95\x04\x12\xde" + bytes(40), b"\xde\x12\x04\x95", b""):  # big-endian, short, empty
        with pytest.raises(ValueError, match="not a little-endian"):
            i18n.Catalogue("xx", bad)


def test_fill_with_and_without_units() -> None:
    """i18n.fill: a template without ``{n:unit}`` is filled by str.format_map, one with units
    by the catalogue's plural forms; in both, a placeholder without a value is a KeyError
    naming it and the template, never a silent "-"."""
    assert i18n.fill("{a} and {b!r:>4}", {"a": 1, "b": "x"}) == "1 and  'x'"
    assert i18n.fill("{n:day} from {a}", {"n": 1, "a": "today"}) == "1 day from today"
    assert i18n.fill("{n:day}", {"n": 3}, "nl") == "3 dagen"
    for template in ("{a} and {b}", "{n:day} and {b}"):
        with pytest.raises(KeyError, match=r"no value for \{b\}"):
            i18n.fill(template, {"a": 1, "n": 2})
