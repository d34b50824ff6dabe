"""Headline figures and a four-panel figure of a batch results table (``timeline summary``).

Reads a results table written by ``timeline batch`` (:func:`read_results`, with its
dtypes), summarises it (:func:`summarise`: gaps, reporting status, years to each
eligibility date) and draws it (:func:`summary_figure`). Needs the ``batch`` extra.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from . import i18n
from .batch import DATE_DTYPE, RESULT_COLUMNS, ROUTE_NAMES, STATUS_NAMES
from .errors import msg
from .i18n import count, format_date, lookup, phrase, route_label
from .tables import TableError, file_kind

if TYPE_CHECKING:
    from matplotlib.figure import Figure

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


#: Total gap days per case with a gap, in bands a reader knows: the first day of each band.
GAP_BANDS = (("under-1-month", 0), ("1-3-months", 31), ("3-12-months", 92), ("1-5-years", 366), ("5-years", 1826))
#: Years from the as-of date to naturalisation, in bands: the first year of each band.
WAIT_BANDS = (("now", 0.0), ("within-1-year", 1e-9), ("1-3-years", 1.0), ("3-years", 3.0))


def summary_figure(results: pd.DataFrame, *, lang: str = "en", source: str | None = None) -> Figure:
    """Four panels, as rates: residence gaps (DC-6) and their length, reporting the end of the
    relationship (R2.2), and when each naturalisation route's cases can apply (R6).

    Titled with the number of cases, ``source`` (the results file) and the as-of date (or
    dates); texts in ``lang``; drawn in the case chart's style. Returns a
    :class:`matplotlib.figure.Figure` (no pyplot, no global state); write it with
    :func:`timeline.chart.save` for deterministic PNG, SVG or PDF.
    """
    from matplotlib.figure import Figure

    from .chart import style_context

    with style_context():
        fig = Figure(figsize=(11.7, 8.3), layout="constrained")
        fig.suptitle(_title(results, lang, source), fontsize="x-large", fontweight="bold")
        ax = fig.subplots(2, 2)
        _gap_panel(ax[0, 0], results, lang)
        _gap_length_panel(ax[0, 1], results, lang)
        _reporting_panel(ax[1, 0], results, lang)
        _naturalisation_panel(ax[1, 1], results, lang)
    return fig


def _say(key: str, lang: str, **params: Any) -> str:
    return phrase("summary", key, lang, **params)


def _title(results: pd.DataFrame, lang: str, source: str | None) -> str:
    days = results["as_of"].dropna()
    first, last = (days.min().date(), days.max().date()) if len(days) else (None, None)
    when = format_date(first, lang) if first == last else f"{format_date(first, lang)} – {format_date(last, lang)}"
    cases = count(len(results), "case", lang, sep=True)
    if source is None:
        return _say("title", lang, cases=cases, as_of=when)
    return _say("title-source", lang, cases=cases, as_of=when, source=os.path.basename(source))


def _percent(share: float) -> str:
    return f"{100 * share:.0f} %" if share == share else "-"


def _rate_bars(
    ax: Any, labels: list[str], parts: list[int], whole: int, colours: list[str], hatches: list[str], lang: str
) -> None:
    """Horizontal bars of ``parts`` as shares of ``whole`` (0-100 %), each labelled "58 % (2,864 of 4,939)"."""
    shares = [p / whole if whole else 0.0 for p in parts]
    y = list(range(len(labels)))[::-1]
    bars = ax.barh(
        y, [100 * v for v in shares], height=0.6, color=colours, hatch=hatches, edgecolor="black", linewidth=0.6
    )
    ax.set_yticks(y, labels)
    ax.set_xlim(0, 100)
    ax.xaxis.set_major_formatter(lambda v, _: f"{v:.0f} %")
    of = [
        _say("share-of", lang, share=_percent(v), part=f"{p:,}", whole=f"{whole:,}")
        for v, p in zip(shares, parts, strict=True)
    ]
    ax.bar_label(bars, labels=[t.replace(",", lookup("number", "thousands-separator", lang)) for t in of], padding=3)
    ax.grid(axis="x", alpha=0.3)


def _gap_panel(ax: Any, results: pd.DataFrame, lang: str) -> None:
    n = len(results)
    parts = [int((results["gap_count"] > 0).sum()), int(results["gap_ongoing"].sum())]
    _rate_bars(
        ax, [_say("with-gap", lang), _say("gap-on-as-of", lang)], parts, n, ["#D55E00", "#D55E00"], ["//", "xx"], lang
    )
    ax.set_title(_say("gaps", lang), loc="left")


def _gap_length_panel(ax: Any, results: pd.DataFrame, lang: str) -> None:
    days = results.loc[results["gap_count"] > 0, "gap_days"].to_numpy()
    edges = [start for _, start in GAP_BANDS]
    band = np.searchsorted(edges, days, side="right") - 1
    parts = [int((band == k).sum()) for k in range(len(GAP_BANDS))]
    labels = [_say(f"band-{key}", lang) for key, _ in GAP_BANDS]
    _rate_bars(ax, labels, parts, len(days), ["#D55E00"] * len(parts), ["//"] * len(parts), lang)
    median = float(np.median(days)) if len(days) else float("nan")
    ax.set_title(_say("gap-length", lang), loc="left")
    ax.set_xlabel(_say("median", lang, median=count(round(median), "day", lang, sep=True) if median == median else "-"))


def _reporting_panel(ax: Any, results: pd.DataFrame, lang: str) -> None:
    status = results["notification_status"].dropna()
    due = status[status != "not-yet-due"]
    shown = ("on-time", "late", "missing")
    parts = [int((due == s).sum()) for s in shown]
    labels = [i18n.label(s, lang) for s in shown]
    _rate_bars(ax, labels, parts, len(due), ["#009E73", "#E69F00", "#D55E00"], ["", "//", "xx"], lang)
    waiting = int((status == "not-yet-due").sum())
    ax.set_title(_say("reporting", lang, due=count(len(due), "case", lang, sep=True)), loc="left")
    ax.set_xlabel(_say("not-yet-due", lang, cases=count(waiting, "case", lang, sep=True)))


def _naturalisation_panel(ax: Any, results: pd.DataFrame, lang: str) -> None:
    """One 100 % bar per route: the share of its cases that can apply now, within a year, ..."""
    colours, hatches = ["#009E73", "#56B4E9", "#0072B2", "#999999"], ["", "..", "//", "xx"]
    routes, rows = [], []
    for route in ROUTE_NAMES:
        years = _years_until(results[results["naturalisation_route"] == route], "naturalisation_eligible_from")
        if len(years):
            band = np.searchsorted([start for _, start in WAIT_BANDS], years.to_numpy(), side="right") - 1
            rows.append([float((band == k).mean()) for k in range(len(WAIT_BANDS))])
            routes.append(f"{route_label(route, lang)}\n({count(len(years), 'case', lang, sep=True)})")
    y = list(range(len(routes)))[::-1]
    left = [0.0] * len(routes)
    for k, (key, _) in enumerate(WAIT_BANDS):
        widths = [100 * r[k] for r in rows]
        bars = ax.barh(y, widths, left=left, height=0.6, color=colours[k], hatch=hatches[k], edgecolor="black",
                       linewidth=0.6, label=_say(f"wait-{key}", lang))  # fmt: skip
        texts = ax.bar_label(bars, labels=[_percent(w / 100) if w >= 8 else "" for w in widths], label_type="center")
        for t in texts:  # readable on a hatched bar too
            t.set_bbox({"facecolor": "white", "edgecolor": "none", "pad": 1.5})
        left = [a + b for a, b in zip(left, widths, strict=True)]
    ax.set_yticks(y, routes)
    ax.set_xlim(0, 100)
    ax.xaxis.set_major_formatter(lambda v, _: f"{v:.0f} %")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.08), ncols=2, frameon=False)
    ax.set_title(_say("naturalisation", lang), loc="left")


def read_results(path: str) -> pd.DataFrame:
    """Read a results table written by ``timeline batch`` (.csv, .parquet, .jsonl, .xlsx) with its dtypes."""
    from zipfile import BadZipFile

    ext = file_kind(path)
    if not os.path.exists(path):
        raise TableError(msg("results-missing", path=path))
    try:
        if ext == ".parquet":
            df = pd.read_parquet(path)
        elif ext in (".csv", ".tsv"):
            df = pd.read_csv(
                path,
                sep="\t" if ext == ".tsv" else ",",
                dtype={"id": "str", "notification_status": "str", "naturalisation_route": "str"},
            )
        elif ext == ".xlsx":  # a workbook of timeline batch: its sheet 'results', else the first
            sheets = pd.ExcelFile(path, engine="openpyxl").sheet_names
            sheet = "results" if "results" in sheets else sheets[0]
            df = pd.read_excel(path, sheet_name=sheet, engine="openpyxl", dtype={"id": "str"})
        else:
            df = pd.read_json(path, lines=True, dtype=False)
    except (OSError, ValueError, KeyError, BadZipFile) as err:
        raise TableError(msg("results-unreadable", path=path, reason=str(err))) from None
    missing = [c for c in RESULT_COLUMNS if c not in df.columns]
    if missing:
        raise TableError(msg("results-not-batch", path=path, missing=tuple(missing)))
    for k, v in RESULT_COLUMNS.items():
        df[k] = _result_column(path, k, df[k], v, df["id"])
    return df[list(RESULT_COLUMNS)]


def _kind(dtype: str) -> Any:
    """What a value of a results column of ``dtype`` must be, for a message."""
    if dtype == DATE_DTYPE:
        return msg("kind-a-date")
    return msg("kind-true-false") if dtype == "bool" else msg("kind-whole-number")


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
    kind = _kind(dtype)
    if len(ids) and pd.notna(ids.iloc[i]):
        raise TableError(
            msg("results-cell-of-case", path=path, column=name, value=repr(s.iloc[i]), case=ids.iloc[i], kind=kind)
        )
    raise TableError(msg("results-cell", path=path, column=name, value=repr(s.iloc[i]), kind=kind))
