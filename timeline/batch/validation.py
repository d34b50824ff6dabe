"""Validation written once: the fields and checks of :mod:`timeline.fields` (the ones the
case reader :func:`timeline.case_from_dict` applies) as masks over whole columns, giving the
typed fields of every record, the per-case fields and options, and the cases that fail."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..fields import (
    AFTER,
    BOOL,
    CHOICE,
    DATE,
    DERIVED,
    END,
    NEEDS,
    NOT_AFTER,
    NOT_BEFORE,
    REFERENCE_EXISTS,
    REFERENCE_FORM,
    REFERENCE_NOT_SELF,
    TEXT,
    Check,
    Record,
    check_id,
)
from ..fields import RECORDS as DEFINITION
from ..model import (
    EVENT_DATES,
    RELATIONSHIP_KINDS,
)
from ..options import OPTIONS
from ..tables import NA
from .codes import INF, PL_KINGDOM, RK_APP, RK_PERMIT, S_DUTCH, SAFE_HI, SAFE_LO, K
from .columns import MIXED, Columns, Rec, dictionary_codes, is_text

#: The short names the rules use for some fields of the records (``pm.wf``, ``nt.change``, ``ap.cond``).
_SHORT = {"withdrawn_from": "wf", "withdrawal_decided": "wd", "change_date": "change", "conditions_met": "cond"}
#: The per-case values the rules read: name in ``cx`` -> (record, field, value when absent).
_PER_CASE: dict[str, tuple[str, str, int]] = {
    "as_of": ("case", "as_of", NA),
    "birth": ("person", "birth_date", NA),
    "sponsor": ("sponsor", "status", S_DUTCH),
    "rel_kind": ("relationship", "kind", RELATIONSHIP_KINDS.index("marriage")),
    "cohab": ("relationship", "cohabitation_start", NA),
    "place": ("relationship", "cohabitation_place", PL_KINGDOM),
    "married": ("relationship", "married", NA),
    "separated": ("relationship", "separated", NA),
    "divorced": ("relationship", "divorced", NA),
}
#: How a reference names its record (``against``): record name -> code of the rules.
_REFERENCE_KIND = {"permits": RK_PERMIT, "applications": RK_APP}
_ORDER = {AFTER: np.less_equal, NOT_BEFORE: np.less, NOT_AFTER: np.greater}  # the failing comparison

_Flag = Callable[[Rec, np.ndarray, str], None]


def read_fields(
    cols: Columns,
    recs: dict[str, Rec],
    nc: int,
    bad: np.ndarray,
    run_options: Mapping[str, str],
) -> dict[str, Any]:
    """Typed fields of every record and the per-case fields; sets ``bad`` like :func:`case_from_dict`.

    Every field and check comes from :data:`timeline.fields.RECORDS`, as the case reader's:
    each field by its type (:func:`_field_values`), then each check of its record as a mask
    (:func:`_failing`). ``cols.trace`` (for the tests) receives, per check id, the cases it flags.
    """
    trace = cols.trace

    def flag(rec: Rec, mask: np.ndarray, check: str) -> None:
        if mask.any():
            cases = rec.case[mask]
            bad[cases] = True
            if trace is not None:
                trace.setdefault(check, set()).update(cases.tolist())

    def per_case(rec: Rec, values: np.ndarray, fill: int) -> np.ndarray:
        out = np.full(nc, fill, dtype=np.int64)
        out[rec.case] = values
        return out

    cx: dict[str, Any] = {}
    # Options first: the end-date convention (OQ-1) changes how ends are read.
    opts = cx["opts"] = _read_options(cols, recs["options"], nc, run_options, flag, cx)
    inclusive = opts["end_date_convention"] == OPTIONS["end_date_convention"].choices.index("inclusive")

    context: dict[str, np.ndarray] = {}
    counts = {name: np.bincount(recs[name].case, minlength=nc) for name in _REFERENCE_KIND}
    values: dict[str, dict[str, np.ndarray]] = {}
    for record in DEFINITION.values():
        rec = recs[record.name]
        v = values[record.name] = _field_values(cols, rec, record, inclusive, flag)
        for name, (owner, sources) in DERIVED.items():
            if owner == record.name:
                earliest = np.full(len(rec), INF, dtype=np.int64)
                for source in sources:
                    earliest = np.minimum(earliest, np.where(v[source] == NA, INF, v[source]))
                context[name] = per_case(rec, np.where(earliest == INF, NA, earliest), NA)
        for check in record.checks:
            mask = _failing(cols, rec, record, check, v, context, counts)
            flag(rec, mask, check_id(record.name, check.field, check.name))

    for key, (record_name, field, fill) in _PER_CASE.items():
        cx[key] = per_case(recs[record_name], values[record_name][field], fill)
    rel = recs["relationship"]
    cx["rel"] = per_case(rel, np.ones(len(rel), dtype=np.int64), 0).astype(bool)
    _record_attributes(cols, recs, values)
    cx["first_event"] = _first_events(cols, recs, nc)
    return cx


def _record_attributes(cols: Columns, recs: dict[str, Rec], values: dict[str, dict[str, np.ndarray]]) -> None:
    """Every field but text as an attribute of its records (the short names of :data:`_SHORT`),
    and each objection's target (``tgt_rk``, ``tgt_idx``) from its ``against`` reference."""
    for record in DEFINITION.values():
        if record.many:
            for field in record.fields:
                if field.type != TEXT:
                    setattr(recs[record.name], _SHORT.get(field.name, field.name), values[record.name][field.name])
    ap = recs["applications"]
    ap.excused = ap.excused == 1
    code, idx = _reference(cols, ap, "against", DEFINITION["applications"].checks)
    names = [_REFERENCE_KIND[n] for n in _reference_names(DEFINITION["applications"].checks, "against")]
    ok = (ap.kind == K["objection"]) & (code >= 0)
    ap.tgt_rk = np.where(ok, np.array(names, dtype=np.int64)[np.maximum(code, 0)], -1)
    ap.tgt_idx = np.where(ok, idx, -1)


def _first_events(cols: Columns, recs: dict[str, Rec], nc: int) -> np.ndarray:
    """The first event of each case (model.EVENT_DATES; INF: none): cases without one, or assessed
    before it, go to the engine, whose check_facts refuses them with its message."""
    first = np.full(nc, INF, dtype=np.int64)
    for record_name, event_fields in EVENT_DATES.items():
        for name in event_fields:
            d = cols.dates(name, recs[record_name])[0]
            present = d != NA
            np.minimum.at(first, recs[record_name].case[present], d[present])
    return first


def _field_values(cols: Columns, rec: Rec, record: Record, inclusive: np.ndarray, flag: _Flag) -> dict[str, np.ndarray]:
    """Each field of ``record`` as an array (day numbers, choice codes with defaults, booleans), its type checked.

    The checks of each type are those of :data:`timeline.fields.TYPE_CHECKS`; the case id
    (type ``id``) is checked with the case codes (:func:`parse`).
    """
    out: dict[str, np.ndarray] = {}
    for field in record.fields:
        name = field.name

        def cid(check: str, name: str = name) -> str:
            return check_id(record.name, name, check)

        if field.type in (DATE, END):
            v, wrong = cols.dates(name, rec)
            flag(rec, wrong, cid("type"))
            flag(rec, (v != NA) & ((v < SAFE_LO) | (v > SAFE_HI)), cid("range"))
            if field.required:
                flag(rec, (v == NA) & ~wrong, cid("required"))
            if field.type == END:  # exclusive in the model (DC-1); the file gives the last day (OQ-1)
                v = np.where(inclusive[rec.case] & (v != NA), v + 1, v)
        elif field.type == CHOICE:
            v = cols.codes(name, rec, field.choices)
            flag(rec, v == -3, cid("type"))
            flag(rec, v == -4, cid("length"))
            flag(rec, v == -1, cid("choice"))
            if field.required:
                flag(rec, v == -2, cid("required"))
            if field.default is not None:
                v = np.where(v < 0, field.choices.index(str(field.default)), v)
        elif field.type == BOOL:
            v, wrong = cols.bools(name, rec)
            flag(rec, wrong, cid("type"))
        elif field.type == TEXT:
            flag(rec, cols.not_text(name, rec), cid("type"))
            flag(rec, cols.too_long(name, rec), cid("length"))
            v = cols.present(name)[rec.rows]
            if field.required:
                flag(rec, ~v, cid("required"))
        else:
            continue  # the case id: case_id
        out[name] = v
    return out


def _failing(
    cols: Columns,
    rec: Rec,
    record: Record,
    check: Check,
    v: Mapping[str, np.ndarray],
    context: Mapping[str, np.ndarray],
    counts: Mapping[str, np.ndarray],
) -> np.ndarray:
    """The rows of ``rec`` that fail ``check`` (the case reader's :func:`timeline.io._check`, as a mask)."""
    mine = v[check.field]
    if check.test in _ORDER:
        other = v[check.other] if check.other in v else context[check.other][rec.case]
        return (mine != NA) & (other != NA) & _ORDER[check.test](mine, other)
    if check.test == NEEDS:
        allowed = [record.field(check.other).choices.index(x) for x in check.values]
        return cols.present(check.field)[rec.rows] & ~np.isin(v[check.other], allowed)
    code, idx = _reference(cols, rec, check.field, record.checks)
    if check.test == REFERENCE_FORM:
        return code == -2
    names = _reference_names(record.checks, check.field)
    if check.test == REFERENCE_EXISTS:
        limit = np.zeros(len(rec), dtype=np.int64)
        for k, name in enumerate(names):
            sel = code == k
            limit[sel] = counts[name][rec.case[sel]]
        return (code >= 0) & (idx >= limit)
    assert check.test == REFERENCE_NOT_SELF, check.test
    own = names.index(record.name) if record.name in names else -3
    return (code == own) & (idx == rec.index)


def _reference_names(checks: tuple[Check, ...], field: str) -> tuple[str, ...]:
    """The records a reference field may name (the ``values`` of its form check)."""
    return next(c.values for c in checks if c.field == field and c.test == REFERENCE_FORM)


def _reference(cols: Columns, rec: Rec, field: str, checks: tuple[Check, ...]) -> tuple[np.ndarray, np.ndarray]:
    """A reference ``"name[i]"`` parsed: the position of ``name`` among the records it may name
    (-1 absent, -2 not of that form) and ``i``."""
    names = _reference_names(checks, field)

    def parse(arr: pa.Array) -> tuple[np.ndarray, np.ndarray]:
        codes, values = dictionary_codes(arr)
        parsed_code, parsed_idx = [], []
        for value in values:
            k, i = -2, -1
            if isinstance(value, str) and not value.startswith(MIXED):
                name, _, rest = value.partition("[")
                number = rest[:-1] if rest.endswith("]") else ""
                if name in names and number != "" and all(c in "0123456789" for c in number) and len(number) < 10:
                    k, i = names.index(name), int(number)
            parsed_code.append(k)
            parsed_idx.append(i)
        has = codes >= 0
        at = np.maximum(codes, 0)
        code = np.where(has, np.array(parsed_code or [-1], dtype=np.int64)[at], -1)
        return code, np.where(has, np.array(parsed_idx or [-1], dtype=np.int64)[at], -1)

    return cols.cached("reference", field, rec, parse)


def _read_options(
    cols: Columns, opt: Rec, nc: int, run_options: Mapping[str, str], flag: _Flag, cx: dict[str, Any]
) -> dict[str, np.ndarray]:
    """Each option's choice code per case (:mod:`timeline.options` validates them, as the case reader does)."""
    keys = tuple(OPTIONS)
    okey = cols.codes("option", opt, keys)
    flag(opt, okey < 0, "options")
    vals, values = dictionary_codes(_option_values(cols.sub("value", opt)))
    flag(opt, vals < 0, "options")
    # Duplicate option names in one case: JSON cannot hold them.
    if len(opt):
        k = (opt.case << 8) | np.maximum(okey, 0)
        order = np.argsort(k, kind="stable")
        dup = np.zeros(len(opt), dtype=bool)
        ks = k[order]
        dup[order[1:]] = (ks[1:] == ks[:-1]) & (okey[order][1:] >= 0)
        flag(opt, dup, "options")
        cx["option_dup_rows"] = opt.rows[dup]
    else:
        cx["option_dup_rows"] = np.zeros(0, dtype=np.int64)
    choice_index = {key: {v: i for i, v in enumerate(o.choices)} for key, o in OPTIONS.items()}
    value_list = list(values)
    opts: dict[str, np.ndarray] = {}
    for ki, key in enumerate(keys):
        default = OPTIONS[key].choices.index(OPTIONS[key].default)
        arr = np.full(nc, default, dtype=np.int64)
        sel = okey == ki
        if sel.any():
            lut = np.array([choice_index[key].get(v, -1) for v in value_list] or [-1], dtype=np.int64)
            code = np.where(vals[sel] >= 0, lut[np.maximum(vals[sel], 0)], -1)
            flag(opt.take(sel), code < 0, "options")
            arr[opt.case[sel]] = np.maximum(code, 0)
        if key in run_options:
            arr[:] = OPTIONS[key].choices.index(run_options[key])
        opts[key] = arr
    return opts


def _option_values(arr: pa.Array) -> pa.Array:
    """Option values as text, as the case reader makes them (true -> yes, 5 -> "5")."""
    if pa.types.is_boolean(arr.type):
        return pc.if_else(arr, "yes", "no")
    if pa.types.is_integer(arr.type):
        return arr.cast(pa.string())
    if is_text(arr.type) or pa.types.is_null(arr.type):
        return arr
    return pa.array([None if v is None else MIXED for v in arr.to_pylist()], pa.string())
