"""Each rule written once (issue 15): for every rule ID the code cites, the one place that decides it.

``RULES`` lists, for each rule ID, the functions that implement it: the kernels of
timeline/kernels/ (run interpreted for one case, compiled for a table) and, where a rule
needs the calendar of the Algemene termijnenwet or a dated legal parameter, the one scalar
function both paths call. ``EXPLAINED`` lists the IDs the tool cites but computes nothing
for, each with its reason.

The convention that lets a test see a second implementation: a function that decides a
rule opens its docstring with the rule's ID and a colon ("R1.4: ...", "R3.1, R3.2: ...");
a function that only runs, explains or draws a rule cites it elsewhere in its docstring
("The R6.1 route for one case ..."). Then:

- every function anywhere in timeline/ whose docstring opens with a rule ID is listed
  under that ID here: a second implementation (in batch, in a face, in a wrapper) makes
  the test fail until it is removed or, after review, listed;
- no function of the table path (timeline.batch*, timeline.dask_engine) is listed: batch
  decides no rule, it runs the kernels;
- every listed function exists and cites its rule IDs; every rule ID cited in timeline/
  is listed here, or in ``EXPLAINED``; every ID listed has an entry in docs/rules.md.
"""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "timeline"
ID = r"(?:R\d+\.\d+|DC-\d+)"
OPENS = re.compile(rf"^({ID}(?:(?:, | and |/| / ){ID})*)(?: \([^)]*\))?:")
CITED = re.compile(rf"\b{ID}\b")

KR, KP, KC = "timeline.kernels.residence", "timeline.kernels.procedures", "timeline.kernels.clocks"
RES, NOTE = "timeline.rules.residence", "timeline.rules.notification"

#: Rule ID -> the functions that decide it ("module:function"), single case and batch alike.
RULES: dict[str, tuple[str, ...]] = {
    "DC-2": ("timeline.dates:Term.after",),
    "DC-3": (f"{KC}:add_months", f"{KC}:add_years"),
    "DC-4": ("timeline.atw:deadline",),
    "DC-5": (f"{KC}:period_complete",),
    "DC-6": (f"{KR}:find_gaps", f"{KR}:gap_cause"),
    "DC-7": ("timeline.cli:_today",),
    "R1.2": (f"{KR}:derive_permit", f"{KR}:permit_chain"),
    "R1.4": (f"{KR}:previous_permit", f"{KR}:derive_permit", f"{KR}:permit_chain", f"{RES}:earliest_filing"),
    "R2.1": ("timeline.actions:_report",),
    "R2.2": (f"{KP}:notification_trigger", f"{KP}:first_report", f"{KP}:report_status",
             f"{NOTE}:notification_deadline", f"{KR}:relationship_ended"),
    "R2.3": (f"{NOTE}:fine_limitation_end",),
    "R3.1": (f"{KR}:withdrawal", f"{KR}:withdrawn_end", f"{KR}:relationship_ended"),
    "R3.2": (f"{KR}:withdrawal", f"{KP}:objection_target", f"{KP}:reinstated"),
    "R4.1": (f"{KR}:derive_permit", f"{KR}:permit_chain"),
    "R4.2": (f"{KR}:derive_permit", f"{KR}:permit_chain", f"{RES}:tolerance_applies", f"{RES}:tolerance_last_day"),
    "R4.5": (f"{KP}:procedural_stays", f"{KR}:procedural_days"),
    "R5.1": (f"{KC}:permanent_residence", f"{KR}:indefinite"),
    "R5.2": (f"{KC}:eu_segments", f"{KC}:eu_accrued", f"{KC}:eu_days_abroad", f"{KC}:eu_still_abroad",
             f"{KC}:eu_long_term", f"{KC}:apply_breaks", f"{KR}:indefinite"),
    "R5.3": (f"{KC}:breaks_residence", f"{KC}:apply_breaks", "timeline.rules.clocks:_three_year_rule"),
    "R6.1": (f"{KC}:standard_route", "timeline.rules.clocks:_naturalisation_conditions"),
    "R6.2": (f"{KC}:spouse_route",),
    "R6.3": (f"{KC}:partner_applies", f"{KC}:partner_route"),
    "R6.4": (f"{KC}:qualifying_days", f"{KC}:first_day_with", f"{KC}:long_residence_route",
             "timeline.rules.clocks:_naturalisation_conditions"),
    "R6.5": (f"{KC}:row_on_request",),
    "R7.1": ("timeline.rules.independent:independent_residence", "timeline.rules.independent:_term_reached"),
    "R7.2": ("timeline.rules.independent:_possible_routes",),
    "R8.2": (f"{KP}:is_refusal", f"{KP}:objection_target", f"{KP}:first_objection", f"{KP}:objection_timely",
             f"{RES}:objection_deadline", f"{RES}:objection_posting_end",
             "timeline.rules.procedures:objection_deadlines"),
    "R8.3": ("timeline.rules.procedures:decision_periods",),
}  # fmt: skip

#: Rule IDs the tool cites without computing a date of its own, and why.
EXPLAINED: dict[str, str] = {
    "DC-1": "a convention (half-open periods), applied by every function that compares an end",
    "R1.1": "the entry visa (mvv) is outside the tool's scope: the first permit is a fact of the case",
    "R1.3": "the permit's validity is a fact of the case file (the date printed on it)",
    "R4.3": "the two-year reasonable term cannot repair a gap: cited in explanations only",
    "R4.4": "recovery after a gap is the rules above applied again: cited in explanations only",
    "R8.1": "the public holidays of the ATW: timeline.atw (DC-4) computes them",
    "R8.4": "court appeal terms are outside the tool's scope: cited in explanations only",
    "R9.1": "the rules version (citations.RULES_VERSION): what the tool's answers are based on",
}

TABLE_PATH = ("timeline.batch", "timeline.dask_engine")


def _modules(package: Path = PACKAGE) -> list[tuple[str, Path]]:
    out = []
    for p in sorted(package.rglob("*.py")):
        rel = p.relative_to(package.parent).with_suffix("")
        parts = rel.parts[:-1] if rel.name == "__init__" else rel.parts
        out.append((".".join(parts), p))
    return out


def _functions(package: Path = PACKAGE):
    """Every function and method in ``package``: (module, qualified name, docstring)."""
    for module, path in _modules(package):
        source = path.read_text()
        tree = ast.parse(source)
        stack: list[tuple[ast.AST, str]] = [(tree, "")]
        while stack:
            node, prefix = stack.pop()
            for child in ast.iter_child_nodes(node):
                if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                    name = f"{prefix}{child.name}"
                    if not isinstance(child, ast.ClassDef):
                        yield module, name, ast.get_docstring(child) or ""
                    stack.append((child, f"{name}."))


FUNCTIONS = list(_functions())


def test_every_function_that_decides_a_rule_is_the_listed_one():
    """A docstring that opens with rule IDs claims them: it must be the implementation listed."""
    unlisted = []
    for module, name, doc in FUNCTIONS:
        m = OPENS.match(doc)
        if not m:
            continue
        for rule in re.findall(ID, m.group(1)):
            if f"{module}:{name}" not in RULES.get(rule, ()):
                unlisted.append(f"{module}:{name} ({rule})")
    assert not unlisted, (
        "functions that open their docstring with a rule ID but are not its listed implementation "
        "(a second implementation? If it only runs, explains or draws the rule, cite the rule later "
        f"in the docstring): {unlisted}"
    )


def test_the_table_path_decides_no_rule():
    listed = [f for fs in RULES.values() for f in fs if f.split(":")[0].startswith(TABLE_PATH)]
    assert not listed
    claims = [f"{m}:{n}" for m, n, doc in FUNCTIONS if m.startswith(TABLE_PATH) and OPENS.match(doc)]
    assert not claims, f"batch must run the kernels, not decide rules: {claims}"


@pytest.mark.parametrize("rule", sorted(RULES))
def test_each_listed_function_exists_and_cites_its_rule(rule):
    for ref in RULES[rule]:
        module, _, name = ref.partition(":")
        obj = importlib.import_module(module)
        for part in name.split("."):
            obj = getattr(obj, part)
        assert rule in CITED.findall(obj.__doc__ or ""), f"{ref} does not cite {rule} in its docstring"


def test_every_cited_rule_is_listed_or_explained():
    cited = set()
    for _, path in _modules():
        cited |= set(CITED.findall(path.read_text()))
    missing = sorted(cited - set(RULES) - set(EXPLAINED))
    assert not missing, f"rule IDs cited in timeline/ with no implementation listed here and no reason: {missing}"
    assert not set(RULES) & set(EXPLAINED)


def test_every_listed_rule_has_its_entry_in_the_rules_reference():
    reference = (ROOT / "docs" / "rules.md").read_text()
    headings = set(re.findall(rf"^#+ ({ID})\b", reference, flags=re.M))
    assert not (set(RULES) | set(EXPLAINED)) - headings


def test_a_second_implementation_is_caught(tmp_path):
    """The checks above on a damaged copy: a batch module with its own R3.1 is reported."""
    copy = tmp_path / "timeline"
    (copy / "batch").mkdir(parents=True)
    (copy / "batch" / "withdrawals.py").write_text(
        'def withdrawals():\n    """R3.1: the withdrawal date of every permit, vectorised."""\n'
        'def runs():\n    """The R3.1 withdrawal, by the kernel."""\n'
    )
    found = list(_functions(copy))
    assert ("timeline.batch.withdrawals", "withdrawals") in [(m, n) for m, n, _ in found]
    claims = [f"{m}:{n}" for m, n, doc in found if m.startswith(TABLE_PATH) and OPENS.match(doc)]
    assert claims == ["timeline.batch.withdrawals:withdrawals"]  # the one that only runs the rule is not a claim
