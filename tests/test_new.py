"""``timeline new`` (issue 14): commented case-file templates that assess as written.

- Every template reads, passes ``timeline check``, validates against the schema, and
  assesses without error; the comment texts explain every field line (set or commented out).
- ``partner-of-dutch`` is the reference: it names every field of every record and the options.
- ``-o -`` prints; an existing file is never overwritten without ``--force``; only .toml.
"""

from __future__ import annotations

import re
import tomllib
from datetime import date
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner
from test_schema import as_json

from timeline.cli import main
from timeline.engine import assess
from timeline.fields import RECORDS
from timeline.io import case_from_dict, file_problems, load_case
from timeline.newcase import TEMPLATES, template_text, write_template
from timeline.schema import case_schema

ROOT = Path(__file__).resolve().parents[1]
FIELD_LINE = re.compile(r"^#?\s*([a-z_]+)\s*=")
SECTION_LINE = re.compile(r"^#?\s*\[\[?([a-z]+)\]\]?")


def test_the_templates_are_the_files_shipped() -> None:
    shipped = {p.stem for p in (ROOT / "timeline" / "templates").glob("*.toml")}
    assert shipped == set(TEMPLATES)
    assert 4 <= len(TEMPLATES) <= 6


@pytest.mark.parametrize("kind", TEMPLATES)
def test_each_template_reads_validates_and_assesses(kind: str, tmp_path: Path) -> None:
    path = tmp_path / "case.toml"
    write_template(kind, str(path))
    assert path.read_text(encoding="utf-8") == template_text(kind)
    assert file_problems(path) == []
    case = load_case(path)
    result = assess(case, date(2025, 11, 23))
    assert result.id == kind
    data = as_json(tomllib.loads(template_text(kind)))
    jsonschema.Draft202012Validator(case_schema()).validate(data)
    assert case_from_dict(data, default_id="x") == load_case(path)._replace(source="<case>")


@pytest.mark.parametrize("kind", TEMPLATES)
def test_every_field_line_is_explained_in_a_comment(kind: str) -> None:
    for line in template_text(kind).splitlines():
        if FIELD_LINE.match(line) or SECTION_LINE.match(line):
            body = line.lstrip("#").strip()
            assert " # " in body and len(body.split(" # ", 1)[1].strip()) > 8, line


@pytest.mark.parametrize("kind", TEMPLATES)
def test_commented_out_fields_are_valid_when_uncommented_where_they_stand(kind: str) -> None:
    """A field line that is commented out names a field of the record it stands in."""
    record = "case"
    for line in template_text(kind).splitlines():
        section = SECTION_LINE.match(line)
        if section:
            record = section.group(1)
            continue
        field = FIELD_LINE.match(line)
        if field:
            valid = RECORDS[record].names if record in RECORDS else ()
            if record == "options":
                from timeline.options import OPTIONS

                valid = tuple(OPTIONS)
            assert field.group(1) in valid, (kind, record, line)


def test_the_reference_template_names_every_field() -> None:
    text = template_text("partner-of-dutch")
    named: dict[str, set[str]] = {}
    record = "case"
    for line in text.splitlines():
        section = SECTION_LINE.match(line)
        if section:
            record = section.group(1)
        elif FIELD_LINE.match(line):
            named.setdefault(record, set()).add(FIELD_LINE.match(line).group(1))
    for name, rec in RECORDS.items():
        assert named.get(name) == set(rec.names), name
    assert "options" in named


def test_new_prints_to_stdout_and_writes_a_file(tmp_path: Path) -> None:
    r = CliRunner().invoke(main, ["new", "--kind", "work", "-o", "-"])
    assert r.exit_code == 0 and r.stdout == template_text("work")
    out = tmp_path / "client.toml"
    r = CliRunner().invoke(main, ["new", "-o", str(out)])
    assert r.exit_code == 0 and out.read_text(encoding="utf-8") == template_text("partner-of-dutch")
    assert CliRunner().invoke(main, ["check", str(out)]).exit_code == 0


def test_new_never_overwrites_without_force(tmp_path: Path) -> None:
    out = tmp_path / "client.toml"
    out.write_text("mine", encoding="utf-8")
    r = CliRunner().invoke(main, ["new", "--kind", "work", "-o", str(out)])
    assert r.exit_code == 1 and "exists" in r.stderr and "--force" in r.stderr
    assert out.read_text(encoding="utf-8") == "mine"
    r = CliRunner().invoke(main, ["new", "--kind", "work", "-o", str(out), "--force"])
    assert r.exit_code == 0 and out.read_text(encoding="utf-8") == template_text("work")
    assert [p.name for p in tmp_path.iterdir()] == ["client.toml"]  # no temporary file left


def test_new_refuses_other_extensions_and_unknown_kinds(tmp_path: Path) -> None:
    r = CliRunner().invoke(main, ["new", "-o", str(tmp_path / "case.json")])
    assert r.exit_code == 1 and ".toml" in r.stderr and not (tmp_path / "case.json").exists()
    r = CliRunner().invoke(main, ["new", "-o", str(tmp_path / "missing" / "case.toml")])
    assert r.exit_code == 1 and "does not exist" in r.stderr
    assert CliRunner().invoke(main, ["new", "--kind", "astronaut", "-o", "-"]).exit_code == 2
    with pytest.raises(ValueError, match="choose one of"):
        template_text("astronaut")
