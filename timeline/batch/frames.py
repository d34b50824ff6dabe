"""The result, error and gap frames: their columns and dtypes, :class:`BatchResult`, the
frames built from the kernels' arrays, and the rows of a case the single-case engine
assessed (:func:`row_from_assessment`) or refused (:func:`error_row`)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from ..errors import CaseError
from ..kernels.residence import GAP_CAUSES
from ..tables import NA
from .arrays import group_starts
from .codes import RK_PERMIT, ROUTE_NAMES, STATUS_NAMES

DATE_DTYPE = "datetime64[us]"

#: Result columns and dtypes (one row per assessed case, in input order).
RESULT_COLUMNS: dict[str, str] = {
    "id": "str",
    "as_of": DATE_DTYPE,
    "gap_count": "int64",
    "gap_days": "int64",
    "gap_ongoing": "bool",
    "first_gap_start": DATE_DTYPE,
    "last_gap_end": DATE_DTYPE,
    "notification_trigger": DATE_DTYPE,
    "notification_deadline": DATE_DTYPE,
    "notification_received": DATE_DTYPE,
    "notification_status": "str",
    "notification_days_late": "Int64",
    "permanent_residence_eligible_from": DATE_DTYPE,
    "eu_long_term_eligible_from": DATE_DTYPE,
    "naturalisation_eligible_from": DATE_DTYPE,
    "naturalisation_route": "str",
    "naturalisation_standard_eligible_from": DATE_DTYPE,
    "naturalisation_spouse_eligible_from": DATE_DTYPE,
    "naturalisation_partner_eligible_from": DATE_DTYPE,
    "naturalisation_long_residence_eligible_from": DATE_DTYPE,
}
#: One row per case that could not be assessed.
ERROR_COLUMNS: dict[str, str] = {
    "case_id": "str",
    "row": "Int64",
    "record": "str",
    "field": "str",
    "value": "str",
    "reason": "str",
}
#: One row per residence gap (DC-6), in case order then date order.
GAP_COLUMNS: dict[str, str] = {
    "id": "str",
    "gap": "int64",
    "start": DATE_DTYPE,
    "end": DATE_DTYPE,
    "days": "int64",
    "cause": "str",
    "record": "str",
    "procedural_days": "int64",
}


class BatchResult(NamedTuple):
    """What :func:`assess_table` returns.

    ``results``: one row per assessed case (:data:`RESULT_COLUMNS`); ``errors``: one row
    per case that could not be assessed, with the case id, the 0-based row of the input
    table (for JSON Lines: the line number), the record (``permits[2]``), field, value and
    reason (:data:`ERROR_COLUMNS`); ``gaps``: one row per gap (:data:`GAP_COLUMNS`).
    Every case of the input is in exactly one of ``results`` and ``errors``.
    """

    results: pd.DataFrame
    errors: pd.DataFrame
    gaps: pd.DataFrame


def _record_names(rk: np.ndarray, idx: np.ndarray) -> list[str | None]:
    return [
        None if i < 0 else (f"permits[{i}]" if k == RK_PERMIT else f"applications[{i}]")
        for k, i in zip(rk.tolist(), idx.tolist(), strict=True)
    ]


def _date_column(days: np.ndarray) -> np.ndarray:
    out = np.where(days == NA, np.iinfo(np.int64).min, days * 86_400_000_000)
    return out.view("M8[us]")


def empty_frame(columns: Mapping[str, str]) -> pd.DataFrame:
    """An empty frame with ``columns`` (name: dtype), as the results, errors and gaps have."""
    return pd.DataFrame({k: pd.Series([], dtype=v) for k, v in columns.items()})


def typed_frame(data: Mapping[str, Any], columns: Mapping[str, str]) -> pd.DataFrame:
    """The ``columns`` (name: dtype) of ``data`` as a frame with exactly those dtypes."""
    df = pd.DataFrame({k: data[k] for k in columns})
    for k, v in columns.items():
        if str(df[k].dtype) != v:
            df[k] = df[k].astype(v)
    return df


def _names(codes: np.ndarray, names: tuple[str, ...]) -> pd.Series:
    lut = np.array([*names, None], dtype=object)
    return pd.Series(lut[np.where(codes < 0, len(names), codes)], dtype="str")


#: At most this many characters of a value in an error row (a case id, at most
#: :data:`timeline.fields.MAX_ID` characters, stays whole); a longer one ends in "…".
CELL_LIMIT = 200


def cell_text(value: Any) -> str | None:
    """A value of an input cell as the text an error row shows (dates ISO, others JSON), cut
    to :data:`CELL_LIMIT` characters: a 3 MB description is named, not copied."""
    if value is None:
        return None
    if isinstance(value, str):
        text = value
    elif isinstance(value, (date, datetime)):
        text = value.isoformat()
    else:
        try:
            text = json.dumps(value, default=str)
        except (TypeError, ValueError):
            text = repr(value)
    return text if len(text) <= CELL_LIMIT else text[: CELL_LIMIT - 1] + "…"


def _row_of_error(tc: Any, err: CaseError, base: np.ndarray) -> int | None:
    """The input row of the record an error names (the case row for the top level)."""
    record = err.record
    rows = tc.rows
    if record.endswith("]") and "[" in record:
        name, _, rest = record.partition("[")
        try:
            pos = rows.get((name, int(rest[:-1])))
        except ValueError:
            pos = None
    elif record == "options":
        pos = next((p for (r, _), p in sorted(rows.items(), key=lambda x: x[1]) if r == "options"), None)
        opts = tc.data.get("options") or {}
        if err.field in opts:
            k = list(opts).index(err.field)
            pos = rows.get(("options", k), pos)
    elif record:
        pos = rows.get((record, 0))
    else:
        pos = rows.get(("case", 0))
    if pos is None:
        pos = min(rows.values()) if rows else None
    return None if pos is None else int(base[pos])


def frame_like(df: pd.DataFrame, columns: Mapping[str, str]) -> pd.DataFrame:
    """``df`` with every one of ``columns`` present (missing ones empty) and dates as ``datetime64[us]``."""
    out = df.copy()
    for k, v in columns.items():
        if k not in out:
            out[k] = None
        if v == DATE_DTYPE:
            out[k] = pd.to_datetime(out[k]).astype(DATE_DTYPE)
    return out


def error_row(tc: Any, err: Exception, rows: np.ndarray, first_row: int, case_code: int) -> dict[str, Any]:
    base = rows + first_row
    if isinstance(err, CaseError):
        return {
            "case_id": tc.case_id,
            "row": _row_of_error(tc, err, base),
            "record": err.record,
            "field": err.field,
            "value": cell_text(err.value),
            "reason": err.reason,
            "_case": case_code,
        }
    pos = min(tc.rows.values()) if tc.rows else None
    return {
        "case_id": tc.case_id,
        "row": None if pos is None else int(base[pos]),
        "record": "",
        "field": "",
        "value": None,
        "reason": f"the case cannot be assessed: {err}",
        "_case": case_code,
    }


def errors_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    if not rows:
        return empty_frame(ERROR_COLUMNS)
    df = pd.DataFrame(rows)
    df = df.sort_values(["_case", "row"], kind="stable", na_position="first").drop(columns="_case")
    df = df.reset_index(drop=True)
    return typed_frame(df, ERROR_COLUMNS)


def results_frame(ids: list[str], keep: np.ndarray, when: np.ndarray, res: dict[str, np.ndarray]) -> pd.DataFrame:
    data: dict[str, Any] = {"id": np.array(ids, dtype=object)[keep] if ids else np.zeros(0, dtype=object)}
    data["as_of"] = _date_column(when[keep])
    for k, v in RESULT_COLUMNS.items():
        if k in data:
            continue
        x = res[k][keep]
        if k == "notification_status":
            data[k] = _names(x, STATUS_NAMES)
        elif k == "naturalisation_route":
            data[k] = _names(x, ROUTE_NAMES)
        elif k == "notification_days_late":
            data[k] = pd.arrays.IntegerArray(np.where(x == NA, 0, x), x == NA)
        elif v == DATE_DTYPE:
            data[k] = _date_column(x)
        else:
            data[k] = x
    df = pd.DataFrame({k: data[k] for k in RESULT_COLUMNS})
    return typed_frame(df, RESULT_COLUMNS)


def gaps_frame(ids: list[str], g: dict[str, Any] | None, good: np.ndarray) -> pd.DataFrame:
    if g is None or g["case"].size == 0:
        return empty_frame(GAP_COLUMNS)
    gc = g["case"]
    st = group_starts(gc)
    number = np.arange(gc.size) - np.repeat(st, np.diff(np.r_[st, gc.size]))
    data = {
        "id": np.array(ids, dtype=object)[gc],
        "gap": number,
        "start": _date_column(g["start"]),
        "end": _date_column(g["end"]),
        "days": g["days"],
        "cause": _names(g["cause"], GAP_CAUSES),
        "record": pd.Series(_record_names(g["rk"], g["ridx"]), dtype="str"),
        "procedural_days": g["procedural_days"],
    }
    return typed_frame(pd.DataFrame(data), GAP_COLUMNS)


def row_from_assessment(a: Any) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """One result row (and the gap rows) from a single-case :class:`~timeline.Assessment`."""

    def d(v: date | None) -> Any:
        return pd.NaT if v is None else pd.Timestamp(v)

    last = a.gaps[-1] if a.gaps else None
    n = a.notification
    routes = {r.route: r.clock.eligible_from for r in a.naturalisation.routes}
    row = {
        "id": a.id,
        "as_of": d(a.as_of),
        "gap_count": len(a.gaps),
        "gap_days": a.gap_days,
        "gap_ongoing": bool(last is not None and last.end is None),
        "first_gap_start": d(a.gaps[0].start) if a.gaps else pd.NaT,
        "last_gap_end": d(last.end) if last is not None else pd.NaT,
        "notification_trigger": d(n.trigger) if n else pd.NaT,
        "notification_deadline": d(n.deadline) if n else pd.NaT,
        "notification_received": d(n.received) if n else pd.NaT,
        "notification_status": n.status if n else None,
        "notification_days_late": n.days_late if n else None,
        "permanent_residence_eligible_from": d(a.permanent_residence.eligible_from),
        "eu_long_term_eligible_from": d(a.eu_long_term.eligible_from),
        "naturalisation_eligible_from": d(a.naturalisation.eligible_from),
        "naturalisation_route": a.naturalisation.route,
        "naturalisation_standard_eligible_from": d(routes.get("standard")),
        "naturalisation_spouse_eligible_from": d(routes.get("spouse")),
        "naturalisation_partner_eligible_from": d(routes.get("partner")),
        "naturalisation_long_residence_eligible_from": d(routes.get("long-residence")),
    }
    gaps = [
        {
            "id": a.id,
            "gap": i,
            "start": d(g.start),
            "end": d(g.end),
            "days": g.days,
            "cause": g.cause,
            "record": g.record,
            "procedural_days": g.procedural_days,
        }
        for i, g in enumerate(a.gaps)
    ]
    return row, gaps
