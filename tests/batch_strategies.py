"""Hypothesis strategies for random case-file dicts (all record kinds, boundaries, leap days, holidays).

Dates cluster around the places where rules change their answer: permit ends (timely vs
late extension, the four-week tolerance from 1 July 2022), 29 February, holidays and year
ends, and each other (same-day events). Some cases are invalid on purpose, so the
validation of the batch path is compared with the case reader too.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from hypothesis import strategies as st

from timeline.model import (
    APPLICATION_KINDS,
    END_REASONS,
    NOTIFIERS,
    OUTCOMES,
    PLACES,
    PURPOSES,
    RELATIONSHIP_KINDS,
    SPONSOR_STATUSES,
)
from timeline.options import OPTIONS

ANCHORS = [
    date(2019, 12, 31),
    date(2020, 2, 29),
    date(2020, 3, 1),
    date(2021, 1, 1),
    date(2021, 3, 11),
    date(2022, 6, 3),
    date(2022, 7, 1),
    date(2023, 4, 27),
    date(2023, 12, 25),
    date(2024, 2, 29),
    date(2024, 5, 9),
    date(2024, 12, 27),
    date(2025, 5, 5),
    date(2025, 7, 1),
    date(2026, 4, 3),
    date(2026, 1, 2),
    date(2027, 12, 31),
    date(2028, 2, 29),
]
PURPOSE_LIST = list(PURPOSES)


def iso(d: date) -> str:
    return d.isoformat()


@st.composite
def near(draw, refs: list[date], spread: int = 45) -> date:
    """A date near one of ``refs`` (or an anchor), or anywhere in 2015-2030."""
    how = draw(st.integers(0, 9))
    if how <= 5 and refs:
        base = draw(st.sampled_from(refs))
        return base + timedelta(days=draw(st.integers(-spread, spread)))
    if how <= 8:
        base = draw(st.sampled_from(ANCHORS))
        return base + timedelta(days=draw(st.integers(-10, 10)))
    return date(2015, 1, 1) + timedelta(days=draw(st.integers(0, 5800)))


def years_later(d: date, years: int, delta: int = 0) -> date:
    try:
        out = d.replace(year=d.year + years)
    except ValueError:
        out = d.replace(year=d.year + years, day=28)
    return out + timedelta(days=delta)


@st.composite
def case_dicts(draw, valid_only: bool = False) -> dict[str, Any]:
    """One random case-file dict (without ``id``)."""
    refs: list[date] = []
    ends: list[date] = []
    began: date | None = None
    first = draw(near([], 0))
    refs.append(first)
    data: dict[str, Any] = {}
    if draw(st.booleans()):
        birth = years_later(first, -draw(st.sampled_from([2, 5, 7, 8, 9, 17, 18, 30])), draw(st.integers(-5, 5)))
        person: dict[str, Any] = {"birth_date": iso(birth)}
        if draw(st.booleans()):
            person["integration_passed"] = iso(draw(near(refs)))
        if draw(st.integers(0, 9)) == 0:
            person["turkish_national"] = draw(st.booleans())
        data["person"] = person
    status = draw(st.sampled_from([*SPONSOR_STATUSES, "dutch", "dutch"]))
    if status != "dutch" or draw(st.booleans()):
        sponsor: dict[str, Any] = {"status": status}
        if status in ("fixed-term", "temporary") and draw(st.booleans()):
            sponsor["permit_end"] = iso(draw(near(refs)))
        data["sponsor"] = sponsor

    # Relationship
    rel: dict[str, Any] | None = None
    if draw(st.integers(0, 4)) > 0:
        kind = draw(st.sampled_from(RELATIONSHIP_KINDS))
        rel = {}
        if kind != "marriage" or draw(st.booleans()):
            rel["kind"] = kind
        cohab = years_later(first, -draw(st.integers(0, 3)), draw(st.integers(-60, 60)))
        start_dates = []
        if draw(st.integers(0, 3)) > 0:
            rel["cohabitation_start"] = iso(cohab)
            start_dates.append(cohab)
        if draw(st.booleans()):
            rel["cohabitation_place"] = draw(st.sampled_from(PLACES))
        if kind != "unmarried" and draw(st.integers(0, 3)) > 0:
            married = cohab + timedelta(days=draw(st.integers(-400, 400)))
            rel["married"] = iso(married)
            start_dates.append(married)
        began = min(start_dates) if start_dates else None
        sep_base = began or first
        if draw(st.booleans()):
            sep = draw(near([first, sep_base, years_later(first, 2), years_later(first, 4)], 200))
            if sep < sep_base:
                sep = sep_base + timedelta(days=draw(st.integers(0, 3)))
            rel["separated"] = iso(sep)
            refs.append(sep)
            if "married" in rel and draw(st.booleans()):
                rel["divorced"] = iso(sep + timedelta(days=draw(st.integers(0, 200))))
            if draw(st.integers(0, 3)) == 0:
                rel["end_reason"] = draw(st.sampled_from(END_REASONS))
        data["relationship"] = rel

    # Permits
    permits = []
    cursor = first
    for _ in range(draw(st.integers(0, 4))):
        purpose = draw(st.sampled_from([*PURPOSE_LIST, "partner", "partner", "work"]))
        start = cursor if draw(st.booleans()) else draw(near(refs, 60))
        p: dict[str, Any] = {"purpose": purpose, "start": iso(start)}
        if draw(st.integers(0, 5)) > 0:
            end = years_later(start, draw(st.integers(1, 5)), draw(st.integers(-3, 3)))
            if end <= start:
                end = start + timedelta(days=1)
            p["end"] = iso(end)
            refs.append(end)
            ends.append(end)
            cursor = end + timedelta(days=draw(st.sampled_from([0, 0, 0, 1, 10, 60])))
        if draw(st.integers(0, 4)) == 0:
            p["withdrawal_decided"] = iso(draw(near(refs)))
        if draw(st.integers(0, 6)) == 0:
            wf = draw(near([start, *refs], 30))
            if wf < start:
                wf = start
            if "end" in p and wf > date.fromisoformat(p["end"]):
                wf = date.fromisoformat(p["end"])
            p["withdrawn_from"] = iso(wf)
        if draw(st.integers(0, 9)) == 0:
            p["note"] = "n"
        permits.append(p)
        refs.append(start)
    if permits:
        data["permits"] = permits

    # Notifications
    notes = []
    for _ in range(draw(st.integers(0, 3) if rel is not None else st.integers(0, 1))):
        recv = draw(near(refs, 40))
        if began is not None and recv < began and draw(st.integers(0, 5)) > 0:
            recv = began + timedelta(days=draw(st.integers(0, 90)))
        n: dict[str, Any] = {"by": draw(st.sampled_from(NOTIFIERS)), "received": iso(recv)}
        if draw(st.booleans()):
            change = recv - timedelta(days=draw(st.integers(0, 60)))
            if began is not None and change < began and draw(st.integers(0, 5)) > 0:
                change = began
            n["change_date"] = iso(change)
        notes.append(n)
    if notes:
        data["notifications"] = notes

    # Applications
    apps = []
    n_apps = draw(st.integers(0, 5))
    for j in range(n_apps):
        kind = draw(st.sampled_from([*APPLICATION_KINDS, "extension", "extension", "change-of-purpose"]))
        recv = draw(near(refs, 40))
        if ends and kind in ("extension", "change-of-purpose", "first") and draw(st.booleans()):
            offset = draw(st.sampled_from([-90, -3, -1, 0, 1, 2, 20, 26, 27, 28, 29, 30, 45, 100]))
            recv = draw(st.sampled_from(ends)) + timedelta(days=offset)
        a: dict[str, Any] = {"kind": kind, "received": iso(recv)}
        if kind != "objection" and draw(st.integers(0, 2)) > 0:
            a["purpose"] = draw(st.sampled_from([*PURPOSE_LIST, "work", "partner"]))
        outcome = draw(st.sampled_from([*OUTCOMES, "granted", "granted", None]))
        if outcome is not None:
            a["outcome"] = outcome
        if outcome in ("granted", "refused") or draw(st.integers(0, 3)) == 0:
            a["decided"] = iso(recv + timedelta(days=draw(st.sampled_from([0, 1, 30, 90, 200]))))
            refs.append(date.fromisoformat(a["decided"]))
        if kind != "objection" and outcome == "granted":
            ends.append(recv)
        if kind != "objection" and draw(st.integers(0, 3)) > 0:
            a["valid_until"] = iso(years_later(recv, draw(st.integers(1, 5)), draw(st.integers(-2, 40))))
        if draw(st.integers(0, 5)) == 0:
            a["start"] = iso(recv + timedelta(days=draw(st.integers(-30, 30))))
        if draw(st.integers(0, 4)) == 0:
            a["conditions_met"] = iso(recv + timedelta(days=draw(st.integers(0, 90))))
        if draw(st.integers(0, 3)) == 0:
            a["excused"] = draw(st.booleans())
        if kind == "objection":
            if draw(st.booleans()):
                targets = [f"permits[{i}]" for i in range(len(permits))]
                targets += [f"applications[{k}]" for k in range(n_apps) if k != j]
                if targets:
                    a["against"] = draw(st.sampled_from(targets))
            if draw(st.booleans()):
                a["posted"] = iso(recv - timedelta(days=draw(st.integers(0, 5))))
        apps.append(a)
        refs.append(recv)
    if apps:
        data["applications"] = apps

    # Absences
    absences = []
    for _ in range(draw(st.integers(0, 4))):
        dep = draw(near(refs, 400))
        a = {"departed": iso(dep)}
        if draw(st.integers(0, 5)) > 0:
            months = draw(st.sampled_from([0, 1, 3, 4, 5, 6, 7, 10, 12]))
            back = dep + timedelta(days=int(months * 30.44) + draw(st.integers(-3, 3)))
            if back < dep:
                back = dep
            a["returned"] = iso(back)
        absences.append(a)
    if absences:
        data["absences"] = absences

    if draw(st.integers(0, 2)) == 0:
        keys = draw(st.lists(st.sampled_from(sorted(OPTIONS)), max_size=4, unique=True))
        data["options"] = {k: draw(st.sampled_from(OPTIONS[k].choices)) for k in keys}
    how = draw(st.integers(0, 5))
    if how >= 3:
        data["as_of"] = iso(draw(near(refs, 30)))
    elif how >= 1:
        data["as_of"] = iso(max(refs) + timedelta(days=draw(st.integers(1, 3000))))
    if draw(st.integers(0, 9)) == 0:
        data["description"] = "d"
    if not valid_only and draw(st.integers(0, 5)) == 0:
        data = draw(corrupt(data))
    return data


BAD_VALUES: list[Any] = [
    "2024-02-30",
    "2023-02-29",
    "24-01-01",
    "2024-1-1",
    "2024-01-01T00:00",
    "0000-01-01",
    "x",
    "",
    " ",
    5,
    True,
    "unknown",
    "permits[9]",
    "applications[0]",
    "permits[01]",
    "0001-01-01",
    "9999-12-31",
    "1000-01-01",
]


@st.composite
def corrupt(draw, data: dict[str, Any]) -> dict[str, Any]:
    """Change one field to a value that is often (not always) invalid."""
    import copy

    data = copy.deepcopy(data)
    places: list[tuple[dict[str, Any], str]] = []
    for name in ("person", "sponsor", "relationship"):
        if isinstance(data.get(name), dict):
            places.append((data[name], draw(st.sampled_from(_fields(name)))))
    for name in ("permits", "notifications", "applications", "absences"):
        for rec in data.get(name, []):
            places.append((rec, draw(st.sampled_from(_fields(name)))))
    places.append((data, draw(st.sampled_from(["as_of", "description", "bogus"]))))
    if "options" in data:
        places.append((data["options"], draw(st.sampled_from(sorted(OPTIONS)))))
    target, field = draw(st.sampled_from(places))
    value = draw(st.one_of(st.sampled_from(BAD_VALUES), st.sampled_from(_all_dates(data))))
    target[field] = value
    return data


def _fields(name: str) -> list[str]:
    from timeline.io import RECORD_FIELDS

    return [*RECORD_FIELDS[name], "bogus"]


def _all_dates(data: dict[str, Any]) -> list[str]:
    out = ["2020-02-29"]

    def walk(v: Any) -> None:
        if isinstance(v, dict):
            for x in v.values():
                walk(x)
        elif isinstance(v, list):
            for x in v:
                walk(x)
        elif isinstance(v, str) and len(v) == 10 and v[4] == "-":
            out.append(v)

    walk(data)
    return out


@st.composite
def batches(draw, max_cases: int = 12, valid_only: bool = False) -> list[dict[str, Any]]:
    cases = draw(st.lists(case_dicts(valid_only=valid_only), min_size=1, max_size=max_cases))
    return [{"id": f"c{i}", **c} for i, c in enumerate(cases)]
