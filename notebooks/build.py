"""Write the notebooks of this folder from the cells below, outputs stripped.

    python notebooks/build.py            # rewrite the .ipynb files
    python notebooks/build.py --check    # exit 1 when a committed notebook differs

The cells live here, as plain Python text, so that a change to a notebook is a readable
diff; ``tests/test_notebooks.py`` executes every notebook and checks that the committed
files are exactly what this script writes (no outputs, no hand edits that would be lost).
To change a notebook: edit its cells here, run this script, run the tests.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = Path(__file__).resolve().parent

SETUP = '''\
from pathlib import Path

# The repository root: the first folder upwards that holds examples/ (Jupyter starts
# kernels in the notebook's folder, so this is normally the parent of notebooks/).
ROOT = next(p for p in (Path.cwd(), *Path.cwd().parents) if (p / "examples").is_dir())'''

# --------------------------------------------------------------------------- scenario explorer

SCENARIO_EXPLORER = [
    (
        "md",
        """\
# Scenario explorer: which date should be reported, and when must the client file?

A separation example published by a law firm (`examples/separation-reported-early.toml`): Mrs B
holds a partner permit with her Dutch husband. She moves out on 1 July 2025; the divorce
follows on 20 September. Her husband reports the separation, stating **1 July** as the end
date; the IND withdraws the permit retroactively to that date (R3.1, option OQ-3
`withdrawal_effective = "reported"`). She applies for a work permit on 1 October, granted
from the day of receipt (R1.2). Result: a **92-day residence gap** that restarts the clocks
to permanent residence and naturalisation.

This notebook lets a lawyer move two dates and watch the chart and the key dates change:

1. the **end date stated in the report** (`notifications[0].change_date`),
2. the **filing date of the next application** (`applications[0].received`).

The sliders need `ipywidgets` and a live Jupyter frontend. Without them (for example when
the notebook is executed in CI) it still runs top to bottom: it then shows the chart for the
dates on file, and the three fixed scenarios at the end. End dates are exclusive
everywhere: a permit's end date is the first day without validity (DC-1; the rules and options are in
the rules reference, [docs/rules.md](../docs/rules.md)).""",
    ),
    ("code", SETUP),
    (
        "code",
        """\
from datetime import date, timedelta

import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import display

import timeline
from timeline.chart import chart
from timeline.scenarios import comparison_text, load_scenarios, scenarios
from timeline.scenarios.chart import comparison_figure

%matplotlib inline

case = timeline.load_case(ROOT / "examples" / "separation-reported-early.toml")
base = timeline.assess(case, case.as_of)
print(f"{case.id}: as of {base.as_of}, {base.gap_days} days of residence gap")""",
    ),
    ("md", "## The case as it stands\n\nThe chart `timeline chart` draws (`examples/separation-reported-early.png`):"),
    (
        "code",
        """\
def show_chart(assessment, case, title=None):
    \"\"\"Draw the timeline chart of one assessment (A4 landscape, in inches).\"\"\"
    fig = chart(assessment, case, size=(11.7, 8.3))
    if title:
        fig.suptitle(title, y=0.995, fontsize=10)
    display(fig)


def key_dates(a):
    \"\"\"The dates a lawyer looks at first, with the rule behind each.\"\"\"
    n = a.notification
    rows = [
        ("residence gap days (DC-6)", a.gap_days),
        ("gaps", ", ".join(f"{g.start} to {g.end} ({g.days} days, {g.cause})" for g in a.gaps) or "none"),
        ("reporting deadline (R2.2)", n.deadline if n else None),
        ("report status", f"{n.status}, received {n.received}" if n else None),
        ("permanent residence from (R5.1)", a.permanent_residence.eligible_from),
        ("EU long-term residence from (R5.2)", a.eu_long_term.eligible_from),
        ("naturalisation from (R6)", f"{a.naturalisation.eligible_from} ({a.naturalisation.route})"),
    ]
    return pd.DataFrame(rows, columns=["what", "value"]).set_index("what")


show_chart(base, case)
key_dates(base)""",
    ),
    (
        "md",
        """\
## Move the dates

`variant(reported, filed)` sets both fields with `timeline.scenarios`, which validates the
variant as a whole case (a report dated before the relationship began is refused with its
reason) and assesses it. The sliders call it on every change.""",
    ),
    (
        "code",
        """\
REPORTED = case.notifications[0].change_date  # 1 July 2025, as on file
FILED = case.applications[0].received  # 1 October 2025


def variant(reported, filed):
    \"\"\"The case with the report's end date and the application's receipt date changed, assessed.\"\"\"
    cmp = scenarios(case, [f"notifications[0].change_date={reported}", f"applications[0].received={filed}"])
    return cmp.scenarios[1]


def show(reported, filed):
    s = variant(reported, filed)
    if not s.valid:
        print(f"Not a valid case: {s.error}")
        return
    plt.close("all")
    show_chart(s.assessment, s.case, f"reported end date {reported}, application received {filed}")
    display(key_dates(s.assessment))


def days(first, last):
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


try:
    import ipywidgets as widgets
except ImportError:  # no widgets: show the dates on file, the fixed scenarios follow below
    widgets = None

if widgets is None:
    print("ipywidgets is not installed: showing the dates on file; the fixed scenarios follow below.")
    show(REPORTED, FILED)
else:
    reported = widgets.SelectionSlider(
        options=[(d.strftime("%d %b %Y"), d) for d in days(date(2025, 6, 1), date(2025, 9, 30))],
        value=REPORTED,
        description="report says",
        continuous_update=False,
        layout=widgets.Layout(width="640px"),
        style={"description_width": "130px"},
    )
    filed = widgets.DatePicker(value=FILED, description="new application", style={"description_width": "130px"})
    out = widgets.interactive_output(show, {"reported": reported, "filed": filed})
    display(widgets.VBox([reported, filed]), out)""",
    ),
    (
        "md",
        """\
## Three fixed scenarios, side by side

The same comparison as `timeline scenarios examples/separation-reported-early.toml
--scenarios FILE.toml`: the base case first, then two named scenarios from a scenarios
file (written here to a temporary file so the notebook is self-contained).""",
    ),
    (
        "code",
        """\
import tempfile

SCENARIOS_TOML = '''
[[scenario]]
name = "report gives the divorce date"
set = { "notifications[0].change_date" = 2025-09-20 }

[[scenario]]
name = "new application received 1 July"
set = { "applications[0].received" = 2025-07-01 }
'''

with tempfile.TemporaryDirectory() as tmp:
    path = Path(tmp) / "scenarios.toml"
    path.write_text(SCENARIOS_TOML, encoding="utf-8")
    cmp = scenarios(case, named=load_scenarios(path))

print(comparison_text(cmp))""",
    ),
    (
        "code",
        """\
side_by_side = pd.DataFrame(
    {
        s.name: {
            "gap days": s.outcome.gap_days,
            "reporting deadline": s.outcome.reporting_deadline,
            "reporting status": s.outcome.reporting_status,
            "permanent residence": s.outcome.permanent_residence,
            "EU long-term": s.outcome.eu_long_term,
            "naturalisation": s.outcome.naturalisation,
            "naturalisation +days vs base": s.delta.get("naturalisation"),
        }
        for s in cmp.scenarios
    }
)
display(side_by_side)

# The figures of R3.1 and the published example: 92 days; 11 days when the report gives the
# divorce date (20-30 Sept); none when the new permit starts on the withdrawal's first day.
assert [s.outcome.gap_days for s in cmp.scenarios] == [92, 11, 0]
assert cmp.scenarios[2].outcome.naturalisation == date(2026, 3, 11)  # the clock from 11 March 2021 runs on

fig = comparison_figure(cmp)
display(fig)""",
    ),
]

# --------------------------------------------------------------------------- batch analysis

BATCH_ANALYSIS = [
    (
        "md",
        """\
# Batch analysis of synthetic case histories

For analysts: generate a few thousand realistic random case histories with
`timeline.synth` (the generator behind `timeline synth`), assess them all at once with the
batch engine (`timeline.batch.assess_table`: the same rules, compiled, run over whole tables;
the same answers as `timeline.assess` case by case), and look at the results with pandas: how often residence
gaps occur and how long they are, how often the end of a relationship is reported late,
and how many years each naturalisation route takes.

The data are synthetic: the shares below describe the generator's mix (`timeline synth
--help` lists it), not the real population. Point `read_table` at your own export (the event
table of the README's "Batch tables") to run the same analysis on real cases.""",
    ),
    ("code", SETUP),
    (
        "code",
        """\
from datetime import date

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from IPython.display import display

from timeline.assessment import NATURALISATION_ROUTES
from timeline.batch import assess_table
from timeline.batch_summary import summarise
from timeline.synth import Mix, make_table

%matplotlib inline

N, SEED, AS_OF = 4000, 2025, date(2026, 1, 1)
events = make_table(N, seed=SEED)  # the same as: timeline synth --cases 4000 --seed 2025 -o cases.parquet
print(f"{N:,} cases, {events.num_rows:,} event rows ({events.num_rows / N:.1f} a case); mix: {Mix()}")
events.slice(0, 12).to_pandas().dropna(axis=1, how="all")""",
    ),
    (
        "md",
        """\
## Assess every case

One call for the whole table. Cases that cannot be assessed (the generator puts an
impossible date in about 1 % of them, as real exports have) go to `errors` with the
reason; every case is in exactly one of `results` and `errors`.""",
    ),
    (
        "code",
        """\
results, errors, gaps = assess_table(events, as_of=AS_OF)
assert len(results) + len(errors) == N
print(f"assessed {len(results):,}, not assessed {len(errors):,}")
display(errors[["case_id", "record", "field", "value", "reason"]].head(3))
results.head()""",
    ),
    (
        "md",
        """\
## Gap rates

A residence gap (verblijfsgat, DC-6) is any day without a granted permit between
the first permit and the evaluation date. The `gaps` table has one row per gap with its
cause: `withdrawal` after a separation, `late-application` after a late extension,
`expired` when the last permit ended and nothing followed (in real files often a person
who left), `application-pending` or `application-refused` while or after waiting for a
decision.""",
    ),
    (
        "code",
        """\
with_gap = results["gap_count"] > 0
rates = pd.Series(
    {
        "cases with a gap": with_gap.mean(),
        "cases in a gap on as_of": results["gap_ongoing"].mean(),
        "cases with more than one gap": (results["gap_count"] > 1).mean(),
    }
)
display(rates.map("{:.1%}".format).to_frame("share"))
by_cause = gaps.groupby("cause")["days"].agg(["count", "median", "sum"]).sort_values("count", ascending=False)
by_cause""",
    ),
    ("md", "## Gap lengths\n\nTotal gap days per case (cases with a gap) and the length of each gap, by cause."),
    (
        "code",
        """\
fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4), layout="constrained")
days = results.loc[with_gap, "gap_days"]
left.hist(days, bins=np.geomspace(1, days.max() + 1, 30), color="#D55E00", edgecolor="white")
left.set(title="Total gap days per case (cases with a gap)", xlabel="days (log scale)", ylabel="cases", xscale="log")
causes = list(by_cause.index)
right.boxplot([gaps.loc[gaps["cause"] == c, "days"] for c in causes], tick_labels=causes, showfliers=False)
right.set(title="Length of each gap, by cause", ylabel="days")
right.tick_params(axis="x", rotation=30)
plt.show()
days.describe(percentiles=[0.25, 0.5, 0.75, 0.9]).round(1).to_frame("gap days")""",
    ),
    (
        "md",
        """\
## Late reporting

After a separation both the foreign national and the sponsor must report it to the IND
within 4 weeks (R2.1, R2.2; deadline moved past weekends and holidays). The late
rate is late or missing reports among those already due.""",
    ),
    (
        "code",
        """\
status = results["notification_status"].dropna()
due = status[status != "not-yet-due"]
late_rate = due.isin(["late", "missing"]).mean()
print(f"{len(status):,} cases with a duty to report; late or missing: {late_rate:.1%} of {len(due):,} due")
late_days = results.loc[results["notification_status"] == "late", "notification_days_late"].astype(int)

fig, (left, right) = plt.subplots(1, 2, figsize=(11, 3.8), layout="constrained")
counts = status.value_counts().reindex(["on-time", "late", "missing", "not-yet-due"], fill_value=0)
left.bar(counts.index, counts.values, color=["#009E73", "#E69F00", "#D55E00", "#56B4E9"])
left.set(title="Reporting the end of the relationship (R2.2)", ylabel="cases")
right.hist(late_days, bins=20, color="#E69F00", edgecolor="white")
right.set(title="Days after the deadline (late reports)", xlabel="days late", ylabel="cases")
plt.show()""",
    ),
    (
        "md",
        """\
## Years to naturalisation, per route

From the evaluation date to the earliest naturalisation request (0 when already
eligible), per route: `standard` (5 years of toelating, R6.1), `spouse` (3 years of
marriage and cohabitation with a Dutch citizen, R6.2), `partner` (unmarried partner,
R6.3) and `long-residence` (2 years after 10 in total, R6.4: after a residence gap, the
years before it still count toward the 10). Cases whose clock is not running on the evaluation date (in a gap, abroad) have no
date.""",
    ),
    (
        "code",
        """\
years = (results["naturalisation_eligible_from"] - results["as_of"]).dt.days.clip(lower=0) / 365.25
per_route = years.groupby(results["naturalisation_route"]).describe()[["count", "25%", "50%", "75%"]]
display(per_route.round(2))

routes = [r for r in NATURALISATION_ROUTES if r in per_route.index]
fig, ax = plt.subplots(figsize=(7, 4), layout="constrained")
ax.boxplot([years[results["naturalisation_route"] == r] for r in routes], tick_labels=routes, showfliers=False)
ax.set(title="Years from as_of to naturalisation, per route (R6)", ylabel="years (0: already eligible)")
plt.show()
print(f"no naturalisation date on {AS_OF}: {results['naturalisation_eligible_from'].isna().mean():.1%} of cases")""",
    ),
    (
        "md",
        """\
## What one option changes

Where the law leaves room, the engine has an option (OQ-* in
[docs/rules.md](../docs/rules.md)). Here: from which date the IND withdraws the partner
permit after a separation (OQ-3). The default takes the end date stated in the report;
`decision` withdraws only from the decision date (ex nunc).""",
    ),
    (
        "code",
        """\
ex_nunc, _, _ = assess_table(events, as_of=AS_OF, options={"withdrawal_effective": "decision"})
compare = pd.DataFrame(
    {
        "reported (default)": [(results["gap_count"] > 0).mean(), results["gap_days"].sum() / len(results)],
        "decision (ex nunc)": [(ex_nunc["gap_count"] > 0).mean(), ex_nunc["gap_days"].sum() / len(ex_nunc)],
    },
    index=["share of cases with a gap", "gap days per case"],
)
assert compare.loc["gap days per case", "decision (ex nunc)"] <= compare.loc["gap days per case", "reported (default)"]
compare.round(3)""",
    ),
    (
        "md",
        """\
## The same figures as `timeline summary`

`timeline batch cases.parquet -o results.parquet` followed by `timeline summary
results.parquet` prints this table; the notebook's own figures agree with it.""",
    ),
    (
        "code",
        """\
summary = summarise(results)
value = summary.set_index(["measure", "group"])["value"]
assert abs(value[("share with a gap", "")] - with_gap.mean()) < 1e-12
assert abs(value[("late-reporting rate (late or missing, of those due)", "")] - late_rate) < 1e-12
summary""",
    ),
]

# --------------------------------------------------------------------------- rules walkthrough

RULES = [
    (
        "md",
        """\
# The rules, one worked example each

For lawyers who want to check our reading of the law. Each section takes one rule of the
project's rules reference ([docs/rules.md](../docs/rules.md), with its rule IDs, legal basis
and official URLs), builds the smallest case that shows it, lets the engine assess
it, and prints the engine's own explanation (`assess(...).to_dict()["explanations"]`, the
text `timeline assess` prints under "Why"). The worked example's figures from the reference are
then **asserted**: if the engine ever disagrees with it, this notebook fails (it runs
in the test suite).

Conventions used throughout (the date conventions DC-1 to DC-7):

- **DC-1**: a permit is valid on `[start, end)`; the printed end date ("geldig tot") is the
  first day without validity, so the last valid day is the day before.
- **DC-2 / DC-4**: a term of 4 weeks ends 28 days after the event and, for statutory terms,
  moves past weekends and holidays (Algemene termijnenwet, R8.1).
- **DC-5**: "X years immediately preceding T" means every day of `[T - X years, T)` qualifies.
- **DC-6**: a residence gap (verblijfsgat) is any day without a granted permit; even one counts.

Not legal advice; several rules rest on 2015 statutory texts or secondary sources
(the reference marks them).""",
    ),
    (
        "code",
        """\
from datetime import date

import timeline


def run(data, as_of, **options):
    \"\"\"Assess a tiny case, given as a case-file dict, on ``as_of`` with rules ``options``.\"\"\"
    case = timeline.case_from_dict({"id": "example", **data})
    return timeline.assess(case, date.fromisoformat(as_of), options or None)


def explain(a, *rules):
    \"\"\"Print the engine's explanation of every result that cites one of ``rules``.\"\"\"
    shown = [e for e in a.to_dict()["explanations"] if e["rule"] in rules]
    for e in shown:
        print(f"{e['rule']} ({e['basis']}) - {e['subject']}:\\n    {e['text']}")
    assert shown, f"the engine explains nothing under {rules}"


def route(a, name):
    return next(r for r in a.naturalisation.routes if r.route == name)


D = date.fromisoformat
PARTNER_2021 = {"purpose": "partner", "start": "2021-03-11", "end": "2026-03-11"}
MARRIED = {"kind": "marriage", "cohabitation_start": "2020-06-15", "cohabitation_place": "abroad", "married": "2020-06-15"}""",
    ),
    (
        "md",
        """\
## R2.2: the 4-week reporting deadline, moved past holidays (R8.1)

**Rule.** When the relationship ends, the report must *reach* the IND within 4 weeks
(Vb 4.43, 4.44a; Vc B1/5.3). A statutory term that ends on a Saturday, Sunday or
recognised holiday (ATW art. 3, plus days equated by Royal Decree) moves to the next
working day (ATW arts. 1, 5).

**Worked examples (R2.2).**
1. Separation Friday 6 March 2026: raw deadline Friday 3 April 2026 = Good Friday, then
   Saturday, Sunday, Easter Monday: **Tuesday 7 April 2026**.
2. Separation Thursday 16 April 2026: raw Thursday 14 May = Ascension Day; Friday 15 May
   is an equated day; then the weekend: **Monday 18 May 2026**.
3. Separation Friday 4 December 2026: raw Friday 1 January 2027 (New Year): **Monday 4 January 2027**.
4. Separation Thursday 1 February 2024: **Thursday 29 February 2024** (leap year, no holiday).""",
    ),
    (
        "code",
        """\
worked = {"2026-03-06": "2026-04-07", "2026-04-16": "2026-05-18", "2026-12-04": "2027-01-04", "2024-02-01": "2024-02-29"}
for separated, deadline in worked.items():
    a = run({"relationship": {**MARRIED, "separated": separated}, "permits": [PARTNER_2021]}, "2027-06-01")
    print(f"separated {separated}: deadline {a.notification.deadline} (worked example: {deadline})")
    assert a.notification.deadline == D(deadline)
explain(a, "R2.2")  # the last one""",
    ),
    (
        "md",
        """\
## R2.1 and R2.3: both parties must report; a late report can be fined for 5 years

**Rule.** The foreign national (Vb 4.43(1)) and the sponsor (Vb 4.44a) each have the duty
to report. Not reporting is an administrative offence: a warning or a fine, possible up to
5 years after the violation (Vw 55a; IND "Toezicht en sancties").

**Example.** Separation 6 March 2026 (deadline 7 April, above). The foreign national's
report arrives on the deadline day: on time. The sponsor never reports: missing, and on
8 April 2026 the violation starts; a fine is possible until **8 April 2031**. A report on
8 April would be 1 day late.""",
    ),
    (
        "code",
        """\
case = {
    "relationship": {**MARRIED, "separated": "2026-03-06"},
    "permits": [PARTNER_2021],
    "notifications": [{"by": "foreign-national", "received": "2026-04-07", "change_date": "2026-03-06"}],
}
a = run(case, "2026-06-01")
explain(a, "R2.2")
duties = {d.party: d.status for d in a.notification.duties}  # R2.1: each party its own duty
print("duties:", duties)
assert duties == {"foreign-national": "on-time", "sponsor": "missing"}

nobody = run({**case, "notifications": []}, "2026-06-01")
explain(nobody, "R2.3")
assert (nobody.notification.status, nobody.notification.fine_possible_until) == ("missing", D("2031-04-08"))
late = run({**case, "notifications": [{**case["notifications"][0], "received": "2026-04-08"}]}, "2026-06-01")
assert (late.notification.status, late.notification.days_late) == ("late", 1)""",
    ),
    (
        "md",
        """\
## R3.1 with R1.2, R8.2: a retroactive withdrawal and the gap it leaves

**Rule.** After the relationship ends the IND may withdraw the partner permit (Vw 19 with
18(1)(f)), in practice often with retroactive effect to the end date stated in the report
(ECLI:NL:RBDHA:2020:12568). Which date is an option (OQ-3): `reported` (default),
`separation`, `notification` (the day the report was received) or `decision` (ex nunc). A
new permit applied for in the Netherlands starts on the day of receipt (Vw 26(1), R1.2).
An objection must be lodged within 4 weeks of the decision (Vw 69(1), R8.2).

**Worked example (R3 + R4).** Partner permit `[2021-03-11, 2026-03-11)`, Dutch
sponsor. Separation Thursday 1 February 2024; the sponsor reports on 20 February. A work
permit is applied for on 1 May 2024 and granted from that day. The IND withdraws on
Monday 10 June 2024 with effect from 1 February.
- **Gap 1 February - 30 April 2024 = 90 days** (2024 is a leap year).
- Permanent residence and naturalisation: the clock restarts 1 May 2024: **1 May 2029**.
- Objection deadline: 10 June + 28 days = **Monday 8 July 2024**.
- With OQ-3 = `decision` (ex nunc from 10 June): **no gap**, naturalisation **11 March 2026**.""",
    ),
    (
        "code",
        """\
R3_CASE = {
    "relationship": {**MARRIED, "separated": "2024-02-01"},
    "permits": [{**PARTNER_2021, "withdrawal_decided": "2024-06-10"}],
    "notifications": [{"by": "sponsor", "received": "2024-02-20", "change_date": "2024-02-01"}],
    "applications": [
        {"kind": "change-of-purpose", "purpose": "work", "received": "2024-05-01", "outcome": "granted",
         "decided": "2024-07-15", "valid_until": "2029-05-01"}
    ],
}
a = run(R3_CASE, "2024-11-01")
explain(a, "R3.1", "R1.2", "DC-6", "R8.2")
assert [(g.start, g.end, g.days) for g in a.gaps] == [(D("2024-02-01"), D("2024-05-01"), 90)]
assert a.permanent_residence.eligible_from == a.naturalisation.eligible_from == D("2029-05-01")
assert a.objections[0].deadline == D("2024-07-08")

ex_nunc = run(R3_CASE, "2024-11-01", withdrawal_effective="decision")
print("ex nunc: gaps", ex_nunc.gaps, "- naturalisation from", ex_nunc.naturalisation.eligible_from)
assert ex_nunc.gaps == () and ex_nunc.naturalisation.eligible_from == D("2026-03-11")""",
    ),
    (
        "md",
        """\
## R1.4, R4.1, R4.2: extensions on time, late within the tolerance, late beyond it

**Rule.** An extension is timely if the IND receives it by the last valid day (Vb 3.80(1),
R1.4). A late extension starts on receipt, leaving a gap, unless the lateness is excused
(Vw 26(2)-(3), R4.1). Since 1 July 2022 the IND treats an extension received within four
weeks after expiry as excused (IND informatiebericht 8 April 2022, R4.2; option OQ-4 for how
the four weeks are counted).

**Worked example (R4.2).** Permit `[2021-08-01, 2026-08-01)`; last valid day Friday
31 July 2026.
- Received Thursday 20 August 2026 (by 28 August): new permit from **1 August 2026**, no gap.
- Received Tuesday 15 September 2026, no excuse: new permit from 15 September; **gap
  1 August - 14 September 2026 = 45 days**; naturalisation **15 September 2031**.""",
    ),
    (
        "code",
        """\
WORK_2021 = {"purpose": "work", "start": "2021-08-01", "end": "2026-08-01"}


def extension(received, **extra):
    return {
        "permits": [WORK_2021],
        "applications": [{"kind": "extension", "received": received, "outcome": "granted", "valid_until": "2031-08-01", **extra}],
    }


on_time = run(extension("2026-07-31"), "2026-11-23")
assert on_time.gaps == () and on_time.residence[1].start_basis == "timely"

within = run(extension("2026-08-20"), "2026-11-23")
explain(within, "R4.2")
assert within.gaps == () and within.residence[1].start == D("2026-08-01")
assert run(extension("2026-08-28"), "2026-11-23").gap_days == 0  # the last day of the tolerance
assert run(extension("2026-08-29"), "2026-11-23").gap_days == 28  # one day later: no tolerance

beyond = run(extension("2026-09-15"), "2026-11-23")
explain(beyond, "R4.1", "DC-6")
assert [(g.start, g.end, g.days) for g in beyond.gaps] == [(D("2026-08-01"), D("2026-09-15"), 45)]
assert beyond.naturalisation.eligible_from == D("2031-09-15")
assert run(extension("2026-09-15", excused=True), "2026-11-23").gaps == ()  # R4.1: lateness excused""",
    ),
    (
        "md",
        """\
## R4.5: waiting for a decision is not toelating

**Rule.** Lawful stay while an application is pending (Vw 8 f/g/h) is procedural, not
toelating (Vw 21(1); HRWN art. 1(1)(g)). It counts only if a permit is later granted that
covers it. A late extension that is still pending leaves the gap open.

**Example.** The work permit above ends 1 August 2026; an extension is received on
15 September 2026 and still pending on 23 November: the gap runs from 1 August (114 days
on 23 November), of which **69 days** (15 September - 22 November) are procedural stay;
no naturalisation date while in a gap.""",
    ),
    (
        "code",
        """\
a = run({"permits": [WORK_2021], "applications": [{"kind": "extension", "received": "2026-09-15"}]}, "2026-11-23")
explain(a, "DC-6", "R4.5")
gap = a.gaps[0]
assert (gap.start, gap.end, gap.days, gap.procedural_days) == (D("2026-08-01"), None, 114, 69)
assert a.naturalisation.eligible_from is None""",
    ),
    (
        "md",
        """\
## R5.1, R5.2, R6.1: national permanent residence, EU long-term residence, naturalisation

**Rule.** National permanent residence (Vw 21) and naturalisation (RWN 8) need 5
uninterrupted years of lawful residence, in which temporary purposes such as study count
fully, and a non-temporary permit on the application date. EU long-term residence (Vw 45b,
Directive 2003/109) counts temporary purposes as 0 and the person's own study as half.

**Worked example (R5.2).** Study permit `[2019-09-01, 2023-09-01)`, search year
`[2023-09-01, 2024-09-01)`, partner permit with a Dutch partner `[2024-09-01, 2029-09-01)`.
- National permanent residence: **1 September 2024**.
- EU long-term: study 4 years x 1/2 = 2 years, search year 0, 3 more years of partner
  permit: **1 September 2027**.
- Naturalisation: **1 September 2024**.""",
    ),
    (
        "code",
        """\
STUDY = {
    "permits": [
        {"purpose": "study", "start": "2019-09-01", "end": "2023-09-01"},
        {"purpose": "search-year", "start": "2023-09-01", "end": "2024-09-01"},
        {"purpose": "partner", "start": "2024-09-01", "end": "2029-09-01"},
    ]
}
a = run(STUDY, "2025-11-23")
explain(a, "R5.1", "R5.2", "R6.1")
assert a.permanent_residence.eligible_from == D("2024-09-01")
assert a.eu_long_term.eligible_from == D("2027-09-01")
assert a.naturalisation.eligible_from == D("2024-09-01")""",
    ),
    (
        "md",
        """\
## R5.3: a stay abroad of exactly six months

**Rule.** EU long-term residence fails after an absence of 6 months **or more** (Vw
45b(2)(b)); for national permanent residence and naturalisation the main residence is
presumed abroad after **more than** 6 months (Vc B1/6.2.1; option OQ-7 for the IND's
English wording "6 or more").

**Worked example (R5.3).** Departure Wednesday 20 December 2023, return Thursday
20 June 2024: exactly 6 months. EU long-term: the clock restarts on return (20 June 2024).
National: not more than 6 months, the clock runs on from 2019.""",
    ),
    (
        "code",
        """\
ABROAD = {"permits": [{"purpose": "work", "start": "2019-01-01"}], "absences": [{"departed": "2023-12-20", "returned": "2024-06-20"}]}
a = run(ABROAD, "2025-01-01")
explain(a, "R5.1", "R5.2")  # the stay abroad breaks the EU clock, not the national one
assert a.eu_long_term.clock_start == D("2024-06-20")
assert a.permanent_residence.clock_start == D("2019-01-01")
strict = run(ABROAD, "2025-01-01", national_absence_threshold="6-months-or-more")
assert strict.permanent_residence.clock_start == D("2024-06-20")""",
    ),
    (
        "md",
        """\
## R6.2: spouse of a Dutch citizen, 3 years of marriage and cohabitation

**Rule.** A spouse or registered partner of a Dutch citizen can naturalise after 3
uninterrupted years of marriage and cohabitation with that person (RWN 8(2)), which may be
spent abroad; unmarried cohabitation counts only when it was in the Kingdom, immediately
before the marriage. A residence gap does not restart this clock; a separation ends it.

**Example.** Married and living together abroad since 15 June 2020 (the
`spouse-married-abroad` example): eligible from **15 June 2023**, before the 5 years of the
standard route.""",
    ),
    (
        "code",
        """\
a = run({"relationship": MARRIED, "permits": [PARTNER_2021]}, "2023-11-23")
explain(a, "R6.2")
assert route(a, "spouse").clock.eligible_from == D("2023-06-15")
assert (a.naturalisation.route, a.naturalisation.eligible_from) == ("spouse", D("2023-06-15"))""",
    ),
    (
        "md",
        """\
## R6.3: unmarried partner of a Dutch citizen, 3 years in the Kingdom

**Rule.** An unmarried partner of a Dutch citizen needs 3 years of toelating and of
cohabitation in the Kingdom with that partner (RWN 8(4)). Here the residence term applies:
a gap restarts it.

**Worked example (R6.3).** Partner permit and cohabitation in the Netherlands from
Thursday 11 March 2021, no gaps: **Monday 11 March 2024**. With a gap 1 February - 30 April
2024 the 3 years restart on 1 May 2024: **1 May 2027**.""",
    ),
    (
        "code",
        """\
UNMARRIED = {"kind": "unmarried", "cohabitation_start": "2021-03-11", "cohabitation_place": "kingdom"}
a = run({"relationship": UNMARRIED, "permits": [PARTNER_2021]}, "2024-01-15")
explain(a, "R6.3")
assert route(a, "partner").clock.eligible_from == D("2024-03-11")
with_gap = [{**PARTNER_2021, "end": "2024-02-01"}, {"purpose": "partner", "start": "2024-05-01"}]
assert route(run({"relationship": UNMARRIED, "permits": with_gap}, "2024-06-01"), "partner").clock.eligible_from == D("2027-05-01")""",
    ),
    (
        "md",
        """\
## R6.4: 2 years before the request, after 10 years in total

**Rule.** A person with at least 10 years of toelating and main residence in total needs
only the last 2 years without a break (RWN 8(3)); how long earlier interruptions lasted
does not matter. After a residence gap this can come years before the standard route.
"10 years in total" is counted in days against the 10 calendar years before the request
(as OQ-9 counts the EU target); days abroad in an absence that moved the main residence
(R5.3) do not count.

**Example (constructed; the reference gives none).** A work permit 1 January 2012 - 1 January
2018 (2192 days), a gap, a partner permit from 1 March 2018. The standard route restarts:
**1 March 2023**. Two years after the gap is 1 March 2020, but 10 years in total are reached
only on **1 March 2022**: on 28 February 2022 the 2192 + 1460 = 3652 days fall one short
of the 3653 days of the 10 years before it.""",
    ),
    (
        "code",
        """\
gap_case = {
    "permits": [
        {"purpose": "work", "start": "2012-01-01", "end": "2018-01-01"},
        {"purpose": "partner", "start": "2018-03-01"},
    ]
}
a = run(gap_case, "2021-01-01")
explain(a, "R6.4")
assert route(a, "standard").clock.eligible_from == D("2023-03-01")
assert (a.naturalisation.route, a.naturalisation.eligible_from) == ("long-residence", D("2022-03-01"))""",
    ),
    (
        "md",
        """\
## R7.1: independent residence after 5 years

**Rule.** After 5 years of relationship and 5 years of partner permit on that relationship,
with a sponsor who has a non-temporary right, the foreign national can get a permit of
their own (Vb 3.51(1)(a)(1°), Vc B9/8.2).

**Worked example (R7.1).** Relationship since 2019, partner permit from 11 March
2021. Still together on 11 March 2026: eligible from **11 March 2026**. Separated on
1 November 2025: permit time **4 years 7 months 21 days**, not eligible.""",
    ),
    (
        "code",
        """\
REL_2019 = {"kind": "marriage", "cohabitation_start": "2019-01-01", "cohabitation_place": "abroad", "married": "2019-06-01"}
a = run({"relationship": REL_2019, "permits": [PARTNER_2021]}, "2026-04-01")
explain(a, "R7.1")
assert (a.independent_residence.status, a.independent_residence.eligible_from) == ("open", D("2026-03-11"))
separated = run({"relationship": {**REL_2019, "separated": "2025-11-01"}, "permits": [PARTNER_2021]}, "2026-01-01")
assert separated.independent_residence.status == "not-open"
assert separated.independent_residence.permit_time == (4, 7, 21)  # years, months, days""",
    ),
    (
        "md",
        """\
## R7.2: domestic violence, flagged and never decided

**Rule.** Before 5 years, a break-up through domestic violence (or the sponsor's death)
can give a humanitarian permit (Vb 3.51(1)(c), (j), (k); 3.48(1)(f)). That is discretionary:
the engine only flags the route and says by when to file so that no gap arises (on the day
the partner permit's withdrawal takes effect, since a permit applied for starts on the day
of receipt).

**Example (R7.2 path B).** Break-up through domestic violence on 1 February 2024:
the route is indicated; file by **1 February 2024** to leave no gap.""",
    ),
    (
        "code",
        """\
a = run({"relationship": {**REL_2019, "separated": "2024-02-01", "end_reason": "domestic-violence"}, "permits": [PARTNER_2021]}, "2024-03-01")
explain(a, "R7.2")
flagged = {r.route: (r.indicated, r.file_by) for r in a.independent_residence.possible_routes}
assert flagged["domestic-violence"] == (True, D("2024-02-01"))
assert a.independent_residence.eligible_from is None  # never computed as an entitlement""",
    ),
    (
        "md",
        """\
## R8.2 and R8.3: objection deadline and decision period

**Rule.** An objection must be lodged within 4 weeks from the day after the decision was
made known (Vw 69(1); Awb 6:8, 6:9), moved past holidays by the ATW. The IND decides a
regular application within 90 days (Vw 25(1); ATW applies), extendable by up to 6 months
(Vw 25(2), option OQ-13).

**Worked examples (R8.2, R8.3).** A refusal notified Monday 7 April 2025: raw
deadline Monday 5 May 2025, Liberation Day: **Tuesday 6 May 2025**. An extension received
1 July 2026: decision due **Tuesday 29 September 2026**, extended at most to 29 March 2027.""",
    ),
    (
        "code",
        """\
refused = {"permits": [WORK_2021], "applications": [{"kind": "extension", "received": "2025-01-10", "outcome": "refused", "decided": "2025-04-07"}]}
a = run(refused, "2025-05-01")
explain(a, "R8.2")
assert (a.objections[0].deadline, a.objections[0].status) == (D("2025-05-06"), "open")

pending = run({"permits": [WORK_2021], "applications": [{"kind": "extension", "received": "2026-07-01"}]}, "2026-08-01")
explain(pending, "R8.3")
period = pending.decision_periods[0]
assert (period.due, period.due_extended) == (D("2026-09-29"), D("2027-03-29"))""",
    ),
    (
        "md",
        """\
## DC-5 and OQ-8: a clock that starts on 29 February

**Rule.** "5 years immediately preceding T" holds when every day of `[T - 5 years, T)`
qualifies (DC-5). A run that starts on 29 February 2020 therefore completes on **1 March
2025** (28 February 2025 would need 28 February 2020). Option OQ-8 `feb28` gives the
one-day-earlier reading.""",
    ),
    (
        "code",
        """\
leap = {"permits": [{"purpose": "work", "start": "2020-02-29"}]}
a = run(leap, "2024-01-01")
explain(a, "R6.1")
assert a.naturalisation.eligible_from == D("2025-03-01")
assert run(leap, "2024-01-01", leap_day_anniversary="feb28").naturalisation.eligible_from == D("2025-02-28")""",
    ),
    (
        "md",
        """\
## DC-1 and OQ-1: the printed end date

**Rule.** The printed end date is the first day without validity (DC-1). Two work permits
`[2020-01-01, 2022-01-01)` and from 2 January 2022 leave **1 day** of gap (1 January 2022).
If your documents print the last valid day instead, set `end_date_convention = "inclusive"`
(OQ-1): then there is no gap.""",
    ),
    (
        "code",
        """\
two = {"permits": [{"purpose": "work", "start": "2020-01-01", "end": "2022-01-01"}, {"purpose": "work", "start": "2022-01-02", "end": "2025-01-01"}]}
a = run(two, "2023-01-01")
explain(a, "DC-6")
assert a.gap_days == 1
assert run({**two, "options": {"end_date_convention": "inclusive"}}, "2023-01-01").gap_days == 0
print("every worked example agrees with the engine")""",
    ),
]

NOTEBOOKS = {
    "scenario-explorer.ipynb": SCENARIO_EXPLORER,
    "batch-analysis.ipynb": BATCH_ANALYSIS,
    "rules-walkthrough.ipynb": RULES,
}


def build(name: str) -> nbformat.NotebookNode:
    """The notebook ``name`` with stable cell ids and no outputs."""
    stem = name.removesuffix(".ipynb")
    cells = []
    for i, (kind, source) in enumerate(NOTEBOOKS[name]):
        cell = new_markdown_cell(source) if kind == "md" else new_code_cell(source)
        cell["id"] = f"{stem}-{i:02d}"
        cells.append(cell)
    metadata = {
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python"},
    }
    return new_notebook(cells=cells, metadata=metadata)


def text(name: str) -> str:
    return nbformat.writes(build(name)) + "\n"


def main() -> int:
    stale = []
    for name in NOTEBOOKS:
        path = HERE / name
        if "--check" in sys.argv[1:]:
            if not path.exists() or path.read_text(encoding="utf-8") != text(name):
                stale.append(name)
        else:
            path.write_text(text(name), encoding="utf-8", newline="\n")
            print(f"Wrote notebooks/{name}", file=sys.stderr)
    for name in stale:
        print(f"notebooks/{name} differs from notebooks/build.py: run python notebooks/build.py", file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
