"""Headline figures and a four-panel figure of a batch results table (``timeline summary``).

Reads a results table written by ``timeline batch`` (:func:`read_results`, with its
dtypes), summarises it (:func:`summarise`: gaps, reporting status, years to each
eligibility date) and draws it (:func:`summary_figure`). Needs the ``batch`` extra.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .batch import DATE_DTYPE, RESULT_COLUMNS, ROUTE_NAMES, STATUS_NAMES
from .tables import TableError, file_kind

__all__ = ["read_results", "summarise", "summary_figure"]


def _years_until(results: pd.DataFrame, column: str) -> pd.Series:
    """Years from ``as_of`` to the date in ``column`` (0 when already reached), for rows that have one."""
    days = (results[column] - results["as_of"]).dt.days
    return (days.clip(lower=0) / 365.25)[results[column].notna()]


def summarise(results: pd.DataFrame) -> pd.DataFrame:
    """Headline figures of a results table (``timeline summary``): ``measure``, ``group``, ``value``.

    Share of cases with a gap and the distribution of total gap days; the reporting
    status of the cases with a duty to report (R2.2) and the late-reporting rate (late or
    missing among those due); years from ``as_of`` to each eligibility date, per
    naturalisation route (quartiles; 0 when already eligible).
    """
    rows: list[tuple[str, str, float]] = []
    n = len(results)
    rows.append(("cases", "", float(n)))
    with_gap = results["gap_count"] > 0
    rows.append(("share with a gap", "", float(with_gap.mean()) if n else float("nan")))
    rows.append(("share with a gap on as_of", "", float(results["gap_ongoing"].mean()) if n else float("nan")))
    gd = results.loc[with_gap, "gap_days"]
    for q, label in ((0.25, "p25"), (0.5, "median"), (0.75, "p75"), (0.9, "p90")):
        rows.append(("gap days (cases with a gap)", label, float(gd.quantile(q)) if len(gd) else float("nan")))
    status = results["notification_status"].dropna()
    for s in STATUS_NAMES:
        rows.append(("reporting status", s, float((status == s).sum())))
    due = status[status != "not-yet-due"]
    late = due.isin(["late", "missing"]).mean() if len(due) else float("nan")
    rows.append(("late-reporting rate (late or missing, of those due)", "", float(late)))
    for column, label in (
        ("permanent_residence_eligible_from", "permanent residence"),
        ("eu_long_term_eligible_from", "EU long-term residence"),
    ):
        y = _years_until(results, column)
        rows.append((f"years to {label}", "cases", float(len(y))))
        rows.append((f"years to {label}", "median", float(y.median()) if len(y) else float("nan")))
    for route in ROUTE_NAMES:
        sel = results["naturalisation_route"] == route
        y = _years_until(results[sel], "naturalisation_eligible_from")
        rows.append((f"years to naturalisation ({route})", "cases", float(len(y))))
        for q, label in ((0.25, "p25"), (0.5, "median"), (0.75, "p75")):
            rows.append((f"years to naturalisation ({route})", label, float(y.quantile(q)) if len(y) else float("nan")))
    return pd.DataFrame(rows, columns=["measure", "group", "value"])


def summary_figure(results: pd.DataFrame, *, title: str = "timeline batch summary"):
    """Four panels: gap share and gap lengths, reporting status, years to naturalisation per route.

    Returns a :class:`matplotlib.figure.Figure` (no pyplot, no global state); write it with
    :func:`timeline.chart.save` for deterministic PNG, SVG or PDF.
    """
    import matplotlib
    from matplotlib.figure import Figure

    colours = list(matplotlib.color_sequences["okabe_ito"])
    fig = Figure(figsize=(11.7, 8.3), layout="constrained")
    fig.suptitle(f"{title}: {len(results):,} cases")
    ax = fig.subplots(2, 2)
    with_gap = results["gap_count"] > 0
    share = float(with_gap.mean()) if len(results) else 0.0
    ax[0, 0].bar(["no gap", "gap"], [1 - share, share], color=[colours[2], colours[5]], hatch=["", "//"])
    ax[0, 0].set_title("Cases with a residence gap (DC-6)")
    ax[0, 0].set_ylim(0, 1)
    ax[0, 0].bar_label(ax[0, 0].containers[0], labels=[f"{1 - share:.0%}", f"{share:.0%}"])
    gd = results.loc[with_gap, "gap_days"]
    ax[0, 1].hist(gd, bins=40, color=colours[5], hatch="//", edgecolor="white")
    ax[0, 1].set_title("Total gap days (cases with a gap)")
    ax[0, 1].set_xlabel("days")
    status = results["notification_status"].dropna()
    counts = [int((status == s).sum()) for s in STATUS_NAMES]
    palette = [colours[3], colours[1], colours[6], colours[2]]  # green, orange, vermillion, sky blue
    bars = ax[1, 0].bar(list(STATUS_NAMES), counts, color=palette, hatch=["", "//", "xx", ".."])
    ax[1, 0].bar_label(bars, labels=[f"{c:,}" for c in counts])
    ax[1, 0].set_title("Reporting the end of the relationship (R2.2)")
    data, labels = [], []
    for route in ROUTE_NAMES:
        y = _years_until(results[results["naturalisation_route"] == route], "naturalisation_eligible_from")
        if len(y):
            data.append(y.to_numpy())
            labels.append(f"{route}\n({len(y):,})")
    if data:
        ax[1, 1].boxplot(data, tick_labels=labels, showfliers=False)
    ax[1, 1].set_title("Years from as_of to naturalisation, per route (R6)")
    ax[1, 1].set_ylabel("years (0: already eligible)")
    return fig


def read_results(path: str) -> pd.DataFrame:
    """Read a results table written by ``timeline batch`` (.csv, .parquet, .jsonl) with its dtypes."""
    import os

    ext = file_kind(path)
    if not os.path.exists(path):
        raise TableError(f"{path}: no such file")
    try:
        if ext == ".parquet":
            df = pd.read_parquet(path)
        elif ext == ".csv":
            df = pd.read_csv(path, dtype={"id": "str", "notification_status": "str", "naturalisation_route": "str"})
        else:
            df = pd.read_json(path, lines=True, dtype=False)
    except (OSError, ValueError) as err:
        raise TableError(f"{path}: cannot read the results: {err}") from None
    missing = [c for c in RESULT_COLUMNS if c not in df.columns]
    if missing:
        raise TableError(f"{path}: not a timeline batch results table (missing {', '.join(missing)})")
    for k, v in RESULT_COLUMNS.items():
        df[k] = _result_column(path, k, df[k], v, df["id"])
    return df[list(RESULT_COLUMNS)]


_KINDS = {DATE_DTYPE: "a date", "int64": "a whole number", "Int64": "a whole number", "bool": "true or false"}


def _result_column(path: str, name: str, s: pd.Series, dtype: str, ids: pd.Series) -> pd.Series:
    """Column ``name`` of a results file as ``dtype``; :class:`TableError` naming it when a value does not fit."""
    if dtype == DATE_DTYPE:
        try:
            return pd.to_datetime(s).astype(DATE_DTYPE)
        except (ValueError, TypeError, OverflowError):
            bad = pd.to_datetime(s, errors="coerce").isna() & s.notna()
    elif dtype == "bool":
        if s.dtype == bool:
            return s
        flags = {True: True, False: False, "true": True, "false": False}
        out = s.map(lambda v: flags.get(v.lower() if isinstance(v, str) else v))
        bad = out.isna()
        if not bad.any():
            return out.astype(bool)
    elif dtype in ("int64", "Int64"):
        try:
            return s.astype(dtype)
        except (ValueError, TypeError, OverflowError):
            num = pd.to_numeric(s, errors="coerce")
            bad = (num.isna() & (s.notna() | (dtype == "int64"))) | (num.notna() & (num % 1 != 0))
    else:
        return s.astype(dtype)
    hits = np.flatnonzero(bad.to_numpy(dtype=bool))
    i = int(hits[0]) if hits.size else 0
    where = f" (case {ids.iloc[i]})" if len(ids) and pd.notna(ids.iloc[i]) else ""
    raise TableError(f"{path}: the column {name!r} holds {s.iloc[i]!r}{where}, which is not {_KINDS[dtype]}")
