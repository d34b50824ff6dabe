"""Small things a user sees every day (issue 10, section 4), each through real output.

Plurals in English and Dutch (text, JSON texts, chart, report, scenarios, calendar), the
status words of the action list, no independent-residence verdict without a
relationship, each explanation once under "Why", the README's case-file block assessed
as written, error values as the user wrote them, "Wrote ..." and number formats, and a
full disk or a closed pipe on standard output.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tomllib
from datetime import date, datetime, time
from pathlib import Path

import pytest
from click.testing import CliRunner

from timeline import assess, load_case
from timeline.chart import chart_spec
from timeline.cli import EXIT_CLOSED_PIPE, main
from timeline.errors import show_value
from timeline.i18n import count, duration, ngettext
from timeline.io import CASE_FIELDS, RECORD_FIELDS, case_from_dict
from timeline.presentation import action_status_text, assessment_dict, assessment_text
from timeline.report import report_content

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "separation-reported-early.toml"
EXAMPLES = sorted((ROOT / "examples").glob("*.toml"))
LANGS = ("en", "nl")
#: A count of exactly one followed by a plural word, in either language.
WRONG_PLURAL = re.compile(
    r"(?<![\d.,])[+-]?1 (days|dagen|years|months|maanden|weeks|weken|cases|gevallen|rows|events)\b"
)


def example(**changes):
    """The separation example with some fields changed: ``applications__received="2025-07-02"``."""
    data = tomllib.loads(EXAMPLE.read_text(encoding="utf-8"))
    for key, value in changes.items():
        table, field = key.split("__")
        data[table][0][field] = value
    return case_from_dict(data)


def outputs(case, lang):
    """Every text a user reads for ``case``: text, JSON, the chart's labels, the report, the calendar."""
    a = assess(case)
    spec = chart_spec(a, case, lang=lang)
    content = report_content(a, case, lang=lang)
    return "\n".join(
        [
            assessment_text(a, lang),
            json.dumps(assessment_dict(a, lang), ensure_ascii=False),
            repr(spec),
            repr(content),
        ]
    )


# --------------------------------------------------------------------------- plurals


@pytest.mark.parametrize(
    ("n", "lang", "want"),
    [
        (0, "en", "0 days"),
        (1, "en", "1 day"),
        (2, "en", "2 days"),
        (0, "nl", "0 dagen"),
        (1, "nl", "1 dag"),
        (2, "nl", "2 dagen"),
    ],
)
def test_count_pluralises_like_ngettext(n, lang, want):
    assert count(n, "day", lang) == want
    assert ngettext("day", "days", n) == ("day" if n == 1 else "days")


def test_duration_and_signed_counts():
    assert duration(1, 4, 0) == "1 year 4 months 0 days"
    assert duration(1, 1, 1, "nl") == "1 jaar 1 maand 1 dag"
    assert duration(0, 2, 2, "nl") == "0 jaar 2 maanden 2 dagen"
    assert count(-1, "day", signed=True) == "-1 day"
    assert count(61, "day", "nl", signed=True) == "+61 dagen"
    assert count(2000, "case", "en", sep=True) == "2,000 cases"
    assert count(2000, "case", "nl", sep=True) == "2.000 gevallen"


@pytest.mark.parametrize("days", [1, 2])
@pytest.mark.parametrize("lang", LANGS)
def test_a_gap_of_one_or_two_days_and_a_report_one_or_two_days_late(days, lang):
    # The partner permit is withdrawn from 1 July 2025; the work permit starts on receipt.
    # The reporting deadline is Tuesday 29 July 2025.
    received = f"2025-07-0{1 + days}"
    report = f"2025-07-{29 + days}"
    case = example(applications__received=received, notifications__received=report)
    text = outputs(case, lang)
    gap_unit = count(days, "day", lang)
    assert (f"{days} day" if lang == "en" else f"{days} dag") in gap_unit
    if lang == "en":
        assert f": {gap_unit} (withdrawal)" in text
        assert f"status: late ({gap_unit})" in text
        assert f"received on {29 + days} July 2025, {gap_unit} after the deadline" in text
        assert f"gap {gap_unit}" in text  # the chart's label
        assert f"{gap_unit} without a permit" in text  # the report
    else:
        assert f": {gap_unit} (intrekking)" in text
        assert f"stand: te laat ({gap_unit})" in text
        assert f"{gap_unit} na de termijn" in text
        assert f"verblijfsgat {gap_unit}" in text
        assert f"{gap_unit} zonder vergunning" in text
    assert not WRONG_PLURAL.search(text), WRONG_PLURAL.search(text)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
@pytest.mark.parametrize("lang", LANGS)
def test_no_count_of_one_with_a_plural_word_in_any_example(path, lang):
    case = load_case(path)
    text = outputs(case, lang)
    deadlines = CliRunner().invoke(main, ["deadlines", str(path), "--lang", lang, "-o", "-", "--all"]).output
    assert not WRONG_PLURAL.search(text + deadlines), WRONG_PLURAL.search(text + deadlines)


def test_permit_time_in_words_with_plurals():
    # Independent residence: permit time from 11 March 2021 to the separation on 12 April 2022.
    data = tomllib.loads(EXAMPLE.read_text(encoding="utf-8"))
    data["relationship"]["separated"] = "2022-04-12"
    data["relationship"].pop("divorced")
    data["notifications"][0].update(received="2022-04-20", change_date="2022-04-12")
    data["permits"][0].pop("withdrawal_decided")
    case = case_from_dict(data)
    a = assess(case)
    assert "permit time on the relationship: 1 year 1 month 1 day" in assessment_text(a, "en")
    assert "verblijf op grond van de relatie: 1 jaar 1 maand 1 dag" in assessment_text(a, "nl")


def test_scenario_texts_pluralise():
    r = CliRunner().invoke(
        main, ["scenarios", str(EXAMPLE), "--vary", "applications[0].received=2025-07-02,2025-07-03"]
    )
    assert r.exit_code == 0, r.output
    assert "(last day 1 July 2025, 1 day)" in r.output
    assert "(last day 2 July 2025, 2 days)" in r.output
    assert "3 scenarios" in r.output
    nl = CliRunner().invoke(
        main, ["scenarios", str(EXAMPLE), "--lang", "nl", "--vary", "applications[0].received=2025-07-02"]
    )
    assert "(laatste dag 1 juli 2025, 1 dag)" in nl.output and "2 scenario's" in nl.output
    assert not WRONG_PLURAL.search(r.output + nl.output)
    csv = CliRunner().invoke(
        main, ["scenarios", str(EXAMPLE), "--format", "csv", "--vary", "applications[0].received=2025-07-02"]
    )
    assert "2025-07-01..2025-07-01 (1 day)" in csv.output


# --------------------------------------------------------------------------- action status


def test_reached_eligibility_dates_read_can_apply_now_and_missed_deadlines_missed():
    path = ROOT / "examples" / "ten-years-in-total.toml"
    a = assess(load_case(path))
    earliest = [x for x in a.actions if x.kind == "earliest" and x.status == "passed"]
    assert earliest, a.actions
    for x in earliest:
        assert action_status_text(x, "en") == "can apply now"
        assert action_status_text(x, "nl") == "kan nu aanvragen"
    r = CliRunner().invoke(main, ["deadlines", str(path)])
    assert "can apply now" in r.output and "date passed" not in r.output
    sep = assess(load_case(EXAMPLE))
    missed = [x for x in sep.actions if x.kind == "deadline" and x.status == "passed"]
    assert {x.key for x in missed} == {"file-new-application", "report", "objection"}
    assert {action_status_text(x, "en") for x in missed} == {"missed"}
    assert {action_status_text(x, "nl") for x in missed} == {"gemist"}
    met = [x for x in sep.actions if x.status == "met"]
    assert met and {action_status_text(x, "en") for x in met} == {"done"}
    # the JSON codes stay as they were; status_text follows the kind
    data = assessment_dict(sep, "en")
    assert {x["status"] for x in data["actions"]} == {"passed", "met", "ahead"}
    assert {x["status_text"] for x in data["actions"] if x["status"] == "passed"} == {"missed"}


def test_a_reached_date_with_a_condition_not_met_reads_date_reached():
    # study-to-partner-like: a temporary purpose on the eligibility date blocks permanent residence.
    data = {
        "id": "blocked",
        "as_of": "2027-01-01",
        "permits": [{"purpose": "study", "start": "2019-09-01", "end": "2029-09-01"}],
    }
    a = assess(case_from_dict(data))
    blocked = [x for x in a.actions if x.kind == "earliest" and x.status == "passed" and x.params.get("blocked_by")]
    assert blocked, a.actions
    assert {action_status_text(x, "en") for x in blocked} == {"date reached"}
    assert {action_status_text(x, "nl") for x in blocked} == {"datum bereikt"}


# --------------------------------------------------------------------------- independent residence


def test_a_partner_permit_without_a_relationship_gives_no_independent_residence_verdict():
    data = {
        "id": "only-permit",
        "as_of": "2027-01-01",
        "permits": [{"purpose": "partner", "start": "2020-03-01", "end": "2030-03-01"}],
    }
    case = case_from_dict(data)
    a = assess(case)
    assert a.independent_residence is None
    for lang in LANGS:
        text = assessment_text(a, lang)
        assert "Independent residence after the relationship" not in text
        assert "Voortgezet verblijf na de relatie" not in text
        content = repr(report_content(a, case, lang=lang))
        assert "Independent residence after the relationship" not in content
        assert "Voortgezet verblijf na de relatie" not in content
    d = assessment_dict(a, "en")
    assert d["independent_residence"] is None
    assert [w["key"] for w in d["warnings"]] == ["partner-permit-without-relationship"]
    assert "no relationship is on record" in d["warnings"][0]["text"]
    assert not [x for x in a.actions if x.key == "earliest-independent-residence"]
    # with the relationship on record the route is assessed as before
    data["relationship"] = {"kind": "marriage", "married": "2019-06-01"}
    assert assess(case_from_dict(data)).independent_residence.status == "open"


# --------------------------------------------------------------------------- Why: each explanation once


def test_the_same_explanation_is_printed_once_with_what_rests_on_it():
    path = ROOT / "examples" / "late-extension-outside-tolerance.toml"
    r = CliRunner().invoke(main, ["assess", str(path), "--as-of", "2026-09-01"])
    why = r.output.split("Why (rules and legal basis)")[1]
    line = "On 1 September 2026 there is no permit (gap since 1 August 2026): the clock has not restarted."
    assert why.count(line) == 1, why
    assert (
        f"{line} (used for: permanent residence, EU long-term residence, naturalisation (standard), "
        "naturalisation (10 years in total))" in why
    )
    nl = CliRunner().invoke(main, ["assess", str(path), "--as-of", "2026-09-01", "--lang", "nl"]).output
    assert "(geldt voor: onbepaalde tijd, EU-langdurig ingezetene, naturalisatie (standaard)" in nl
    args = ["assess", str(path), "--as-of", "2026-09-01", "--format", "json"]
    data = json.loads(CliRunner().invoke(main, args).output)
    same = [e for e in data["explanations"] if e["text"] == line]
    assert [e["subject"] for e in same] == same[0]["used_for"]
    assert same[0]["used_for"] == [
        "permanent_residence",
        "eu_long_term",
        "naturalisation.routes[standard]",
        "naturalisation.routes[long-residence]",
    ]
    single = [e for e in data["explanations"] if e["rule"] == "R4.1"]
    assert single[0]["used_for"] == [single[0]["subject"]]
    case = load_case(path)
    content = report_content(assess(case, as_of=case.as_of.replace(month=9, day=1)), case, lang="en")
    said = [text for topic in content.topics for item in topic.items for text in item.texts]
    assert sum(line in text for text in said) == 1


# --------------------------------------------------------------------------- README case-file block


def readme_case_block() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = re.search(r"^## Case file reference\n(.*?)(?=^## )", readme, flags=re.S | re.M)
    assert section, "README.md has no section '## Case file reference'"
    block = re.search(r"```toml\n(.*?)```", section.group(1), flags=re.S)
    assert block, "the section has no toml block"
    return block.group(1)


def test_the_readme_case_file_block_assesses_as_written(tmp_path):
    path = tmp_path / "reference.toml"
    path.write_text(readme_case_block(), encoding="utf-8")
    r = CliRunner().invoke(main, ["assess", str(path)])
    assert r.exit_code == 0, r.output
    assert "Residence gaps" in r.output
    j = CliRunner().invoke(main, ["assess", str(path), "--format", "json"])
    assert j.exit_code == 0 and json.loads(j.output)["gap_days"] == 92


def test_the_readme_case_file_block_documents_every_field():
    block = readme_case_block()
    written = set(re.findall(r"^(?:# )?\s*([a-z_]+) = ", block, flags=re.M))
    tables = set(re.findall(r"^\[\[?([a-z_]+)\]\]?", block, flags=re.M))
    for field in CASE_FIELDS:
        assert field in written or field in tables, field
    for table, fields in RECORD_FIELDS.items():
        assert table in tables, table
        missing = [f for f in fields if f not in written]
        assert not missing, (table, missing)


# --------------------------------------------------------------------------- values in error messages


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (date(2024, 6, 10), "2024-06-10"),
        (datetime(2024, 6, 10, 9, 30), "2024-06-10T09:30:00"),  # noqa: DTZ001 (a TOML local date-time)
        (time(9, 30), "09:30:00"),
        ("dutch", '"dutch"'),
        ('say "hi"\n', '"say \\"hi\\"\\n"'),
        ("x\udc80y", '"x\\udc80y"'),  # a lone surrogate (JSON "\udc80") is escaped, never printed raw
        (True, "true"),
        (None, "null"),
        (12, "12"),
        (1.5, "1.5"),
        (float("inf"), "inf"),
        ([1, "a"], '[1, "a"]'),
        ({"purpose": "partner", "start": date(2021, 3, 11)}, '{purpose = "partner", start = 2021-03-11}'),
        ({"odd key": 1}, '{"odd key" = 1}'),
        (object(), "<object>"),
    ],
)
def test_show_value_writes_values_as_a_case_file_does(value, shown):
    assert show_value(value) == shown


def test_show_value_cuts_and_never_raises():
    long = show_value("y" * 1000)
    assert len(long) == 80 and long.endswith("…") and long.startswith('"yyy')
    table = show_value({"purpose": "partner", "note": "n" * 200})
    assert len(table) == 80 and table.startswith('{purpose = "partner", note = "nnn') and table.endswith("…")
    assert show_value(list(range(10**6))).endswith("…")
    huge = 10**5000  # more digits than str() may convert (sys.get_int_max_str_digits)
    assert show_value(huge) == "<an integer of about 5,001 digits>"
    assert show_value(-huge) == "<a negative integer of about 5,001 digits>"
    deep: list = []
    inner = deep
    for _ in range(100_000):
        inner.append([])
        inner = inner[0]
    assert show_value(deep).endswith("…")


def case_error(tmp_path, name: str, content: str) -> str:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    r = CliRunner().invoke(main, ["assess", str(path)])
    assert r.exit_code == 1 and isinstance(r.exception, SystemExit), r.output
    lines = r.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), r.output
    assert "datetime." not in r.output and "{'" not in r.output and "Traceback" not in r.output
    return lines[0]


def test_error_values_as_the_user_wrote_them(tmp_path):
    # an unknown field with a date value: the date in ISO form
    line = case_error(tmp_path, "a.toml", 'id = "x"\n[relationship]\nseperated = 2024-06-10\n')
    assert "relationship.seperated = 2024-06-10: unknown field 'seperated'" in line
    # a table where an array of tables belongs: TOML-like, cut to 80 characters
    content = (
        'id = "x"\n[permits]\npurpose = "partner"\nstart = 2021-03-11\nend = 2026-03-11\nnote = "' + "n" * 100 + '"\n'
    )
    line = case_error(tmp_path, "b.toml", content)
    assert 'permits = {purpose = "partner", start = 2021-03-11, end = 2026-03-11, note = "nnn' in line
    shown = line.split("permits = ", 1)[1].split(": must be", 1)[0]
    assert len(shown) == 80 and shown.endswith("…")
    # a text value from JSON, with a lone surrogate: escaped
    line = case_error(
        tmp_path, "c.json", '{"id": "x", "permits": [{"purpose": "partner", "start": "2021-03-11", "end": "\\udc80"}]}'
    )
    assert 'permits[0].end = "\\udc80": expected a date' in line
    # a kind written in quotes is shown in quotes
    line = case_error(
        tmp_path,
        "d.toml",
        'id = "x"\n[[applications]]\nkind = "first"\nreceived = 2025-01-01\nposted = 2025-01-01\n',
    )
    assert "posted = 2025-01-01: posted is only for objections (kind = 'objection'; this is \"first\")" in line
    # numbers too long to read, and nesting too deep: one line, no Python internals
    digits = "1" + "0" * 5000
    line = case_error(tmp_path, "e.json", '{"id": "x", "permits": [{"purpose": "partner", "start": ' + digits + "}]}")
    assert "invalid JSON: a number with too many digits" in line and "set_int_max_str_digits" not in line
    line = case_error(tmp_path, "f.toml", f'id = "x"\n[[permits]]\npurpose = "partner"\nstart = {digits}\n')
    assert "invalid TOML: a number with too many digits" in line
    line = case_error(tmp_path, "g.toml", 'id = "x"\n[[permits]]\npurpose = "partner"\nstart = ' + "1" * 4000 + "\n")
    assert "permits[0].start = 1111" in line and "…: expected a date" in line
    line = case_error(tmp_path, "h.json", '{"id": ' + "[" * 100_000 + "]" * 100_000 + "}")
    assert "invalid JSON: arrays or tables nested too deeply" in line


def test_option_and_scenario_errors_show_values_the_same_way(tmp_path):
    r = CliRunner().invoke(main, ["assess", str(EXAMPLE), "--option", "withdrawal_effective=" + "z" * 200])
    assert r.exit_code == 1
    assert 'option withdrawal_effective = "zzz' in r.output and "…" in r.output and len(r.output) < 400
    r = CliRunner().invoke(main, ["scenarios", str(EXAMPLE), "--vary", "permits[0].end=soon"])
    assert r.exit_code == 1 and 'permits[0].end is a date: "soon" is not a date' in r.output
    r = CliRunner().invoke(main, ["scenarios", str(EXAMPLE), "--vary", "relationship.kind=" + "q" * 150])
    assert r.exit_code == 1 and '"qqq' in r.output and "…" in r.output


# --------------------------------------------------------------------------- "Wrote ..." and numbers


@pytest.fixture(scope="module")
def batch_files(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("everyday")
    r = CliRunner().invoke(main, ["synth", "--cases", "60", "--seed", "3", "-o", str(tmp / "cases.parquet")])
    assert r.exit_code == 0, r.output
    return tmp


def test_every_command_that_writes_a_file_says_wrote(batch_files):
    tmp = batch_files
    r = CliRunner().invoke(main, ["table", str(tmp / "cases.parquet"), "-o", str(tmp / "cases.jsonl")])
    assert r.exit_code == 0 and r.output == f"Wrote {tmp / 'cases.jsonl'} (60 cases)\n", r.output
    r = CliRunner().invoke(main, ["table", str(tmp / "cases.jsonl"), "-o", str(tmp / "back.csv")])
    assert re.fullmatch(rf"Wrote {re.escape(str(tmp / 'back.csv'))} \(60 cases, [\d,]+ rows\)\n", r.output)
    r = CliRunner().invoke(main, ["synth", "--cases", "1", "-o", str(tmp / "one.jsonl")])
    assert re.fullmatch(r"Wrote .*one\.jsonl \(1 case, \d+ rows\)\n", r.output), r.output
    args = ["batch", str(tmp / "cases.parquet"), "-o", str(tmp / "r.parquet"), "--as-of", "2026-01-01"]
    r = CliRunner().invoke(main, [*args, "--gaps", str(tmp / "g.csv"), "--errors", str(tmp / "e.csv")])
    lines = r.output.strip().splitlines()
    assert r.exit_code == 0 and len(lines) == 1, r.output  # one chunk: no progress line repeating the summary
    assert re.fullmatch(
        r"Wrote .*r\.parquet \([\d,]+ cases? assessed\), .*e\.csv \([\d,]+ cases? not assessed\), "
        r".*g\.csv \([\d,]+ gaps?\); \d+\.\d s",
        lines[0],
    ), lines[0]
    r = CliRunner().invoke(main, [*args, "--chunk-rows", "200"])
    lines = r.output.strip().splitlines()
    assert lines[-1].startswith("Wrote ") and len(lines) > 2
    assert all(line.startswith("timeline batch: ") and " read, " in line for line in lines[:-1])
    assert not WRONG_PLURAL.search(r.output)
    for out, what in (("s.csv", r"\d+ measures"), ("s.svg", r"charts of 60 cases")):
        r = CliRunner().invoke(main, ["summary", str(tmp / "r.parquet"), "-o", str(tmp / out)])
        assert r.exit_code == 0 and re.search(rf"^Wrote .*{re.escape(out)} \({what}\)$", r.output, flags=re.M), r.output
    r = CliRunner().invoke(main, ["deadlines", str(EXAMPLE), "-o", str(tmp / "d.ics")])
    assert re.search(rf"^Wrote {re.escape(str(tmp / 'd.ics'))} \(\d+ events\)$", r.output, flags=re.M), r.output


def test_summary_numbers_in_one_style(batch_files):
    tmp = batch_files
    args = ["batch", str(tmp / "cases.parquet"), "-o", str(tmp / "r2.parquet"), "--as-of", "2026-01-01", "--quiet"]
    assert CliRunner().invoke(main, args).exit_code == 0
    r = CliRunner().invoke(main, ["summary", str(tmp / "r2.parquet")])
    assert r.exit_code == 0, r.output
    seen = set()
    for line in r.output.splitlines():
        label, value = line[:60].rstrip(), line[61:]
        if value == "-":
            continue
        if label == "cases" or label.startswith("reporting status") or label.endswith("[cases]"):
            assert re.fullmatch(r"\d{1,3}(,\d{3})*", value), line
            seen.add("count")
        elif label.startswith("share") or "rate" in label:
            assert re.fullmatch(r"[01]\.\d{3}", value), line
            seen.add("rate")
        else:
            assert re.fullmatch(r"\d{1,3}(,\d{3})*\.\d", value), line  # days and years: 1 decimal
            seen.add("days or years")
    assert seen == {"count", "rate", "days or years"}


# --------------------------------------------------------------------------- full disk, closed pipe


COMMANDS = [
    ["assess", str(EXAMPLE)],
    ["assess", str(EXAMPLE), "--format", "json"],
    ["deadlines", str(EXAMPLE)],
    ["scenarios", str(EXAMPLE), "--vary", "notifications[0].change_date=2025-08-01"],
    ["options"],
    ["--help"],
]


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full (Linux)")
@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a[:1] + a[2:3]))
def test_a_full_disk_on_stdout_is_one_line_and_exit_1(args):
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "timeline", *args], stdout=full, stderr=subprocess.PIPE, text=True, timeout=120
        )
    assert done.returncode == 1
    assert done.stderr == "Error: cannot write to standard output: No space left on device\n"


@pytest.mark.parametrize("args", [*COMMANDS, ["summary", "RESULTS"]], ids=lambda a: " ".join(a[:1] + a[2:3]))
def test_a_closed_pipe_ends_quietly(args, batch_files):
    if args == ["summary", "RESULTS"]:
        results = batch_files / "piped.parquet"
        batch = ["batch", str(batch_files / "cases.parquet"), "-o", str(results), "--as-of", "2026-01-01", "--quiet"]
        assert CliRunner().invoke(main, batch).exit_code == 0
        args = ["summary", str(results)]
    read, write = os.pipe()
    os.close(read)  # the reader is gone before the first byte (as after `| head -0`)
    try:
        done = subprocess.run(
            [sys.executable, "-m", "timeline", *args], stdout=write, stderr=subprocess.PIPE, text=True, timeout=120
        )
    finally:
        os.close(write)
    assert done.returncode == EXIT_CLOSED_PIPE == 141
    assert done.stderr == ""


def test_a_write_error_on_an_output_file_is_not_blamed_on_stdout():
    from timeline.cli import _from_stdout

    try:
        with open(__file__) as handle:
            handle.write("x")  # not writable: an OSError that did not come from stdout
    except OSError as err:
        assert not _from_stdout(err)


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_text_output_says_readings_in_words_not_option_identifiers(lang):
    """Issue 12: no option identifier and no 'rules.md' in the text output of any example, with the
    default readings and with changed ones; each explanation's readings are letters that the
    closing list says in words, a changed reading marked as chosen."""
    from timeline import assess, load_case
    from timeline.options import OPTIONS
    from timeline.presentation import assessment_text

    changed = {"withdrawal_effective": "decision", "total_years_reading": "years-months-days"}
    for path in sorted((ROOT / "examples").glob("*.toml")):
        case = load_case(path)
        for options in (None, changed):
            out = assessment_text(assess(case, None, options), lang)
            assert "rules.md" not in out
            assert not [k for k in OPTIONS if k in out], path.name
            assert ("(a) " in out) == ("[reading a" in out or "[lezing a" in out)
    out = assessment_text(assess(load_case(ROOT / "examples" / "separation-reported-early.toml"), None, changed), lang)
    assert ("chosen for this case" if lang == "en" else "gekozen voor deze zaak") in out
