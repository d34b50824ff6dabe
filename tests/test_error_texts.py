"""Error messages come from the catalogues (issue 15): every key the code raises exists in
every language with the placeholders the code fills; ``str(err)`` stays the English text;
``err.text(lang)`` and the command line's ``--lang`` and the web editor's ``lang`` give
the message in that language, the prefix ``file: record.field = value`` unchanged.

The keys are found by reading the code (every ``msg("key", ...)`` call, and the keys of
the checks of :mod:`timeline.fields`), so a new message without a text, or a text whose
placeholders the code does not fill, fails here; each check is also run on a damaged
catalogue text, to show that it fails.
"""

from __future__ import annotations

import ast
import pickle
import string
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from test_web_edit import CASE, call, folder, loaded, server  # noqa: F401  (fixtures)

from timeline import CaseError, case_from_dict, catalogues, i18n
from timeline.cli import main
from timeline.errors import Message, TimelineError, msg
from timeline.fields import RECORDS
from timeline.tables import TableError

PACKAGE = Path(__file__).resolve().parent.parent / "timeline"
CALLS = ("msg", "Message", "_say", "_text", "phrase")
#: The calls whose key is not written at the call: the constructor itself, a check's key
#: (:mod:`timeline.fields`, tested by :func:`check_keys`) and the outputs' names.
DYNAMIC = {
    ("timeline/errors.py", "Message(key, **params)"),
    ("timeline/io.py", "msg(message, field=check.field, other=shown, **fill)"),
    ("timeline/outputs.py", "msg(_WHAT[what])"),
    ("timeline/cli.py", 'phrase("notice", key, lang, **params)'),
    ("timeline/cli.py", "msg(key, **params)"),
}


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def error_texts(lang: str, context: str = "error") -> dict[str, str]:
    """The catalogue's texts of ``context`` (``error``, ``notice``), by key (the first form of a plural)."""
    entries = catalogues.parse_po(Path(catalogues.po_path(lang)).read_text(encoding="utf-8"))
    return {e.msgid: e.msgstr[0] for e in entries if e.context == context}


def all_texts(lang: str) -> dict[str, str]:
    """The error texts by key, the notices of the command line as ``notice/key``."""
    return error_texts(lang) | {f"notice/{k}": v for k, v in error_texts(lang, "notice").items()}


def _keys_of(node: ast.expr, names: dict[str, set[str]]) -> set[str] | None:
    """The string keys ``node`` can be: a literal, ``a if c else b``, or a name assigned such values."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        a, b = _keys_of(node.body, names), _keys_of(node.orelse, names)
        return None if a is None or b is None else a | b
    if isinstance(node, ast.Name) and node.id in names:
        return names[node.id]
    return None


def _assigned(func: ast.AST) -> dict[str, set[str]]:
    """Names assigned string keys in ``func`` (``key = "a" if c else "b"``)."""
    out: dict[str, set[str]] = {}
    for node in ast.walk(func):
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            keys = _keys_of(node.value, {})
            if keys is not None:
                out.setdefault(node.targets[0].id, set()).update(keys)
    return out


def message_calls(root: Path = PACKAGE) -> list[tuple[str, str, frozenset[str]]]:
    """Every ``msg(KEY, name=...)`` of the code: (where, key, the parameters it passes)."""
    found: list[tuple[str, str, frozenset[str]]] = []
    for path in sorted(root.rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        tree = ast.parse(source)
        name = str(path.relative_to(root.parent))
        scopes = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)] or [tree]
        for scope in scopes:
            names = _assigned(scope)
            for node in ast.walk(scope):
                if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in CALLS):
                    continue
                if not node.args:
                    continue
                prefix, first = "", node.args[0]
                if node.func.id in ("_say", "_text") and name != "timeline/cli.py":
                    continue  # another module's helper of that name
                if node.func.id == "_say":
                    prefix = "notice/"
                elif node.func.id == "phrase":  # phrase(context, key, lang, **params): the error and notice texts
                    context = node.args[0]
                    if not (isinstance(context, ast.Constant) and context.value in ("error", "notice")):
                        continue
                    prefix, first = ("notice/" if context.value == "notice" else ""), node.args[1]
                if (name, ast.get_source_segment(source, node)) in DYNAMIC:
                    continue
                keys = _keys_of(first, names)
                where = f"{name}:{node.lineno}"
                assert keys is not None, f"{where}: a message key the test cannot read; use a literal"
                params = frozenset(k.arg for k in node.keywords if k.arg is not None)
                found += [(where, prefix + key, params) for key in keys]
    return sorted(set(found))


def check_keys() -> set[tuple[str, str]]:
    """The catalogue keys of the checks across fields (:mod:`timeline.fields`), with their check."""
    out = set()
    for record in RECORDS.values():
        for check in record.checks:
            out |= {
                (f"{record.name}.{check.field}.{check.name}", k) for k in (check.message, check.inclusive_message) if k
            }
    return out


def problems(texts: dict[str, dict[str, str]]) -> list[str]:
    """What is wrong between the code and the error texts ``texts`` (lang -> key -> text)."""
    found = []
    for where, key, params in message_calls():
        for lang, table in texts.items():
            if key not in table:
                found.append(f"{where}: no text error/{key} in {lang}")
            elif placeholders(table[key]) != params:
                found.append(
                    f"{where}: error/{key} ({lang}) has {sorted(placeholders(table[key]))}, given {sorted(params)}"
                )
    for check, key in check_keys():
        for lang, table in texts.items():
            if key not in table:
                found.append(f"check {check}: no text error/{key} in {lang}")
            elif not placeholders(table[key]) <= {"field", "other", "target", "valid"}:
                found.append(f"check {check}: error/{key} ({lang}) has {sorted(placeholders(table[key]))}")
    return sorted(found)


def test_every_message_key_of_the_code_is_in_every_catalogue_with_the_placeholders_given() -> None:
    calls = message_calls()
    assert len({key for _, key, _ in calls}) > 150  # the scan finds the messages (io, tables, scenarios, ...)
    assert problems({lang: all_texts(lang) for lang in i18n.LANGS}) == []


def test_the_scan_catches_a_missing_text_and_a_placeholder_the_code_does_not_fill() -> None:
    texts = {lang: all_texts(lang) for lang in i18n.LANGS}
    del texts["nl"]["file-missing"]
    del texts["en"]["notice/wrote"]
    texts["en"]["field-required"] = "{field} is required in {record}"
    texts["nl"]["check-against-exists"] = "{target} bestaat niet; geldig: {geldig}"
    found = problems(texts)
    assert any("no text error/file-missing in nl" in p for p in found)
    assert any("timeline/cli.py" in p and "no text error/notice/wrote in en" in p for p in found)
    assert any("error/field-required (en) has ['field', 'record'], given ['field', 'records']" in p for p in found)
    assert any("error/check-against-exists (nl) has ['geldig', 'target']" in p for p in found)


def test_every_error_text_is_used_by_the_code() -> None:
    """No text left behind when a message goes: each key is a string in the code."""
    literals: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                literals.add(node.value)
    assert set(error_texts("en")) - literals == set()
    assert set(error_texts("en", "notice")) - literals == set()


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_every_error_text_renders_in_every_language(lang: str) -> None:
    for key, template in error_texts(lang).items():
        units = {name for _, name, spec, _ in string.Formatter().parse(template) if name and spec}
        params: dict[str, Any] = {p: (2 if p in units else f"<{p}>") for p in placeholders(template)}
        text = msg(key, **params).text(lang)
        assert text and "{" not in text.replace("{{", "").replace("{ ", ""), (key, text)


def test_a_message_is_its_english_text_and_knows_its_key() -> None:
    m = msg("text-length", length=12345, limit=10000)
    assert m == "is 12345 characters long; at most 10000 are read" and isinstance(m, str)
    assert m.key == "text-length" and m.text("nl") == "is 12345 tekens lang; er worden er hooguit 10000 gelezen"
    copy = pickle.loads(pickle.dumps(m))  # a batch worker's error crosses processes
    assert copy == m and copy.text("nl") == m.text("nl")
    with pytest.raises(KeyError, match="limit"):
        msg("text-length", length=1)


def test_counts_are_pluralised_and_grouped_per_language() -> None:
    from timeline.errors import Number

    assert msg("row-field-count", got=1, ncols=3).text("nl") == "1 veld waar de kopregel er 3 heeft"
    assert msg("row-field-count", got=2, ncols=3) == "2 fields where the header has 3"
    big = msg("entries-too-many", count=Number(12000), limit=Number(1000))
    assert big.startswith("has 12,000 entries; at most 1,000") and big.text("nl").startswith("heeft 12.000 ")


def test_case_errors_keep_their_prefix_and_give_the_reason_in_each_language() -> None:
    data = {"id": "a", "permits": [{"purpose": "work", "start": "2021-03-11", "end": "2020-01-01"}]}
    with pytest.raises(CaseError) as caught:
        case_from_dict(data, "a.toml")
    err = caught.value
    prefix = 'a.toml: permits[0].end = "2020-01-01": '
    assert str(err) == err.text("en") and str(err).startswith(prefix + "the end must be after the start 2021-03-11")
    assert err.text("nl").startswith(prefix + "de einddatum moet na de begindatum 2021-03-11 liggen")
    assert err.check == "permits.end.after-start" and err.reason.key == "check-permit-end-start"
    # a type error, a kind in the message, an unknown field with a suggestion
    cases = [
        (
            {"id": "a", "person": {"birth_date": 5}},
            "moet een datum zijn in de vorm JJJJ-MM-DD (bijv. 2025-11-23), maar is een geheel getal",
        ),
        ({"id": "a", "permit": []}, "onbekend veld 'permit' op het hoogste niveau. Bedoelt u 'permits'?"),
        ({"id": "a", "options": {"no_such": "1"}}, "onbekende optie 'no_such'."),
    ]
    for data, dutch in cases:
        with pytest.raises(CaseError) as caught:
            case_from_dict(data, "a.toml")
        assert dutch in caught.value.text("nl"), caught.value.text("nl")
        assert caught.value.text("en") == str(caught.value)


def test_other_errors_give_their_text_in_each_language() -> None:
    err = TableError(msg("table-no-file", path="x.csv"))
    assert str(err) == "x.csv: no such file" and err.text("nl") == "x.csv: bestand niet gevonden"
    plain = TimelineError("not from the catalogues")  # a third party's text: as it is, in every language
    assert plain.text("nl") == "not from the catalogues"
    assert isinstance(err.message, Message)


def test_cli_prints_the_error_in_the_language_asked(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('id = "x"\n[[permits]]\npurpose = "work"\nstart = 2021-03-11\nend = 2020-01-01\n', encoding="utf-8")
    dutch = CliRunner().invoke(main, ["assess", str(bad), "--lang", "nl"])
    assert dutch.exit_code == 1 and dutch.stdout == ""
    (line,) = dutch.stderr.splitlines()
    assert line.startswith(f"Fout: {bad}: permits[0].end = 2020-01-01: de einddatum moet na de begindatum 2021-03-11")
    english = CliRunner().invoke(main, ["assess", str(bad)])
    assert english.stderr.startswith(f"Error: {bad}: permits[0].end = 2020-01-01: the end must be after the start")
    # the installed command, as a user runs it
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "timeline",
            "chart",
            str(tmp_path / "none.toml"),
            "-o",
            str(tmp_path / "c.png"),
            "--lang",
            "nl",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1
    missing = "bestand niet gevonden; geef het pad van een dossierbestand dat eindigt op .toml of .json"
    assert done.stderr.strip() == f"Fout: {tmp_path / 'none.toml'}: {missing}"


def test_web_assess_gives_field_errors_in_the_request_language(server: str, folder: Path) -> None:  # noqa: F811
    data, _ = loaded(folder, CASE)
    data["permits"][0]["end"] = "2020-01-01"
    status, answer = call(server, "POST", "/api/assess?lang=nl", data)
    assert status == 422 and answer["ok"] is False
    [error] = answer["errors"]
    assert (error["record"], error["field"], error["value"]) == ("permits[0]", "end", '"2020-01-01"')
    assert (
        error["message"].startswith("de einddatum moet na de begindatum")
        and error["check"] == "permits.end.after-start"
    )
    status, answer = call(server, "POST", "/api/assess", {"case": data, "lang": "en"})
    assert answer["errors"][0]["message"].startswith("the end must be after the start")
    status, answer = call(server, "POST", "/api/assess", {"case": {"id": "x", "options": {"nope": "1"}}, "lang": "nl"})
    assert answer["errors"][0]["record"] == "options" and answer["errors"][0]["message"].startswith(
        "onbekende optie 'nope'"
    )
