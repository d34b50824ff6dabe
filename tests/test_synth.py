"""The synthetic case generator (timeline.synth, `timeline synth`): deterministic, valid, the mix obeyed."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from timeline.batch import assess_table
from timeline.cli import main
from timeline.synth import Mix, SynthError, make_cases, make_table, mix_from, parse_mix
from timeline.tables import RECORDS, read_table, table_to_cases

ROOT = Path(__file__).resolve().parents[1]


def frame(n: int = 600, seed: int = 5, **mix: float) -> pd.DataFrame:
    return make_table(n, seed, mix=mix).to_pandas()


def D(text: str) -> date:
    return date.fromisoformat(text)


def test_same_seed_same_table_other_seed_other_table():
    assert make_table(300, seed=11).equals(make_table(300, seed=11))
    assert not make_table(300, seed=11).equals(make_table(300, seed=12))
    assert make_table(300, seed=11, mix={"separation": 0.9}) != make_table(300, seed=11)


def test_default_mix_about_ten_records_a_case_and_every_record_kind():
    df = frame(2000)
    assert 9 <= len(df) / 2000 <= 12
    assert set(df["record"]) == set(RECORDS)  # every record kind of the schema
    kinds = set(df.loc[df["record"] == "applications", "kind"])
    assert kinds == {
        "first",
        "extension",
        "objection",
        "change-of-purpose",
        "permanent-residence",
        "naturalisation",
    }


def test_without_typos_every_case_is_valid_and_every_case_appears_once():
    res, err, _ = assess_table(make_table(1500, seed=2, mix={"typo": 0}), default_as_of=date(2026, 1, 1))
    assert err.empty and len(res) == 1500 and res["id"].is_unique
    res, err, _ = assess_table(make_table(1500, seed=2, mix={"typo": 0.5}), default_as_of=date(2026, 1, 1))
    assert 600 <= len(err) <= 900 and len(res) + len(err) == 1500
    assert set(err["field"]) == {"birth_date"}


@pytest.mark.parametrize("share", [0.0, 1.0])
def test_separation_share(share):
    df = frame(separation=share)
    rel = df[df["record"] == "relationship"]
    assert rel["separated"].notna().all() if share else rel["separated"].isna().all()
    assert (df["record"] == "notifications").any() == bool(share)


@pytest.mark.parametrize("late", [0.0, 1.0])
def test_late_report_share(late):
    df = frame(separation=1.0, late_report=late)
    sep = df[df["record"] == "relationship"].set_index("case_id")["separated"].map(D)
    notes = df[df["record"] == "notifications"]
    days = [(D(r) - sep[c]).days for c, r in zip(notes["case_id"], notes["received"], strict=True)]
    assert len(days) > 100
    # R2.2: 4 weeks = separation + 28 days, at the earliest (ATW can only move it later)
    assert all(d > 28 for d in days) if late else all(0 <= d < 28 for d in days)


@pytest.mark.parametrize("late", [0.0, 1.0])
def test_late_extension_share(late):
    df = frame(separation=0.0, late_extension=late, first_application=0.0)
    ends = df[(df["record"] == "permits") & (df["purpose"] == "partner")].set_index("case_id")["end"].map(D)
    ext = df[(df["record"] == "applications") & (df["kind"] == "extension")]
    assert len(ext) > 300
    for case_id, received in zip(ext["case_id"], ext["received"], strict=True):
        # R1.4: timely means received by the last valid day, end - 1 (DC-1)
        assert (D(received) >= ends[case_id]) == bool(late)


def test_late_extensions_fall_inside_and_outside_the_tolerance():
    df = frame(1500, separation=0.0, late_extension=1.0, first_application=0.0)
    ends = df[(df["record"] == "permits") & (df["purpose"] == "partner")].set_index("case_id")["end"].map(D)
    ext = df[(df["record"] == "applications") & (df["kind"] == "extension")]
    late = {(D(r) - ends[c]).days for c, r in zip(ext["case_id"], ext["received"], strict=True)}
    assert {0, 27, 28} <= late and max(late) > 28  # R4.2: the last day inside is end + 27


def test_absences():
    assert not (frame(absences=0.0)["record"] == "absences").any()
    many = frame(absences=8.0, long_absence=1.0)
    ab = many[many["record"] == "absences"].dropna(subset=["returned"])
    assert len(ab) > 8 * 600 * 0.8
    lengths = [(D(r) - D(d)).days for d, r in zip(ab["departed"], ab["returned"], strict=True)]
    assert min(lengths) >= 60


def test_mix_validation_names_the_fix():
    assert mix_from({"separation": "0.5"}) == Mix(separation=0.5)
    assert mix_from(None) == Mix()
    with pytest.raises(SynthError, match="did you mean 'separation'"):
        mix_from({"sepration": 0.5})
    with pytest.raises(SynthError, match="between 0 and 1"):
        mix_from({"late_report": 1.5})
    with pytest.raises(SynthError, match="between 0 and 1"):
        mix_from({"late_report": "nan"})
    with pytest.raises(SynthError, match="not a number"):
        mix_from({"absences": "many"})
    assert mix_from({"absences": 20}).absences == 20


@pytest.mark.parametrize("ext", [".jsonl", ".csv", ".parquet"])
def test_cli_writes_each_format(tmp_path, ext):
    out = tmp_path / f"cases{ext}"
    r = CliRunner().invoke(main, ["synth", "--cases", "40", "--seed", "3", "-o", str(out), "--mix", "separation=1"])
    assert r.exit_code == 0, r.output
    assert f"Wrote {out} (40 cases," in r.output
    want = make_cases(40, seed=3, mix={"separation": 1})
    if ext == ".jsonl":
        got = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    else:
        got = [c.data for c in table_to_cases(read_table(out))]
    assert got == want


def test_cli_then_batch(tmp_path):
    cases, results = tmp_path / "cases.parquet", tmp_path / "results.csv"
    assert CliRunner().invoke(main, ["synth", "--cases", "200", "-o", str(cases), "--mix", "typo=0"]).exit_code == 0
    r = CliRunner().invoke(main, ["batch", str(cases), "-o", str(results), "--as-of", "2026-01-01", "--quiet"])
    assert r.exit_code == 0, r.output
    assert len(pd.read_csv(results)) == 200


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--mix", "sepration=0.5"], "did you mean 'separation'"),
        (["--mix", "separation"], "use KEY=VALUE"),
        (["--mix", "typo=2"], "between 0 and 1"),
        (["-o", "{tmp}/cases.txt"], "use .jsonl, .csv, .tsv, .xlsx, .parquet"),
        (["-o", "{tmp}/missing/cases.csv"], "does not exist"),
        (["--cases", "0"], "x>=1"),
    ],
)
def test_cli_bad_input(tmp_path, args, message):
    argv = [
        "synth",
        "--cases",
        "5",
        "-o",
        str(tmp_path / "c.jsonl"),
        *(a.replace("{tmp}", str(tmp_path)) for a in args),
    ]
    r = CliRunner().invoke(main, argv)  # the last --cases / -o wins
    assert r.exit_code in (1, 2) and message in r.output and "Traceback" not in r.output
    assert not any(tmp_path.iterdir())


def test_one_generator_for_the_benchmark():
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import make_cases as bench
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    assert bench.make_table is make_table


def test_parse_mix_is_shared_by_cli_and_benchmark():
    assert parse_mix(["separation=0.5", " typo = 0 "]) == {"separation": "0.5", "typo": "0"}
    with pytest.raises(SynthError, match="use KEY=VALUE"):
        parse_mix(["separation"])
    with pytest.raises(SynthError, match="use KEY=VALUE"):
        parse_mix(["=0.5"])


@pytest.mark.parametrize(
    ("mix", "message"),
    [("separation", "use KEY=VALUE"), ("sepration=0.5", "did you mean 'separation'"), ("typo=2", "between 0 and 1")],
)
def test_benchmark_generator_rejects_a_bad_mix_with_a_message(tmp_path, mix, message):
    out = tmp_path / "c.csv"
    script = str(ROOT / "benchmarks" / "make_cases.py")
    r = subprocess.run(
        [sys.executable, script, "--cases", "5", "--mix", mix, "-o", str(out)], capture_output=True, text=True
    )
    assert r.returncode == 2 and message in r.stderr and "Traceback" not in r.stderr
    assert not out.exists()


def test_dates_stay_in_a_plausible_range():
    df = frame(2000)
    for col in ("start", "end", "received", "separated", "departed", "as_of"):
        values = df[col].dropna().map(D)
        assert values.min() >= date(2000, 1, 1) and values.max() <= date(2036, 1, 1), col
    assert date(2024, 1, 1) <= df["as_of"].dropna().map(D).min()
    assert df["as_of"].dropna().map(D).max() < date(2026, 6, 1) + timedelta(days=1)
