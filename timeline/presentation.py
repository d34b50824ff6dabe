"""Assessment -> JSON-ready dict and readable text (English or Dutch).

Convention stated wherever a date leaves the system (DC-1): every ``end`` is the
first day *without* the status; text output also gives the last day inside.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from .assessment import Assessment, Clock, Condition, to_jsonable
from .certainty import expected_at
from .citations import CITATIONS, RULES_VERSION
from .i18n import (
    citation_title,
    count,
    duration,
    end_convention,
    format_date,
    has_label,
    label,
    lookup,
    route_label,
    text,
)
from .records import name_of, permit_name
from .usertext import one_line

__all__ = [
    "action_dict",
    "action_status_text",
    "action_subject",
    "action_text",
    "action_title",
    "actions_lines",
    "assessment_dict",
    "assessment_text",
    "attach_certainty",
    "certainty_text",
    "explanation_groups",
    "record_text",
    "used_for_text",
]


def _version() -> str:
    from . import __version__

    return __version__


def _conditions(conds: tuple[Condition, ...], lang: str) -> list[dict[str, Any]]:
    return [
        {"key": c.key, "met": c.met, "text": text(f"cond-{c.key}", c.params, lang), **to_jsonable(c.params)}
        for c in conds
    ]


def _clock(c: Clock, lang: str) -> dict[str, Any]:
    return {
        "clock_start": to_jsonable(c.clock_start),
        "period_complete": to_jsonable(c.period_complete),
        "eligible_from": to_jsonable(c.eligible_from),
        "years": c.years,
        "reason": c.reason,
        "reason_text": label(c.reason, lang) if c.reason else None,
        "conditions": _conditions(c.conditions, lang),
    }


def _explanation(e, lang: str, options: dict[str, str]) -> dict[str, Any]:
    cit = CITATIONS.get(e.rule)
    return {
        "subject": e.subject,
        "rule": e.rule,
        "title": citation_title(e.rule, lang) if cit else None,
        "basis": cit.basis if cit else None,
        "url": cit.url if cit else None,
        "inputs": {k: to_jsonable(v) for k, v in e.params.items() if k != "non_working"},
        "result": to_jsonable(e.result),
        "options": {k: options[k] for k in e.options},
        "text": text(e.key, {**e.params, "result": e.result}, lang),
    }


def _same_as(e, lang: str) -> tuple[Any, ...]:
    """What makes two explanations the same for a reader: rule, message, text and options."""
    return (e.rule, e.key, text(e.key, {**e.params, "result": e.result}, lang), tuple(e.options))


def explanation_groups(explanations, lang: str = "en") -> list[tuple[Any, tuple[str, ...]]]:
    """Each distinct explanation once, in first-seen order, with the subjects that rest on it.

    The same reason is often recorded once per result (a residence gap on ``as_of`` stops
    every clock, DC-6): ``(explanation, ("permanent_residence", "eu_long_term", ...))``.
    """
    groups: dict[tuple[Any, ...], tuple[Any, list[str]]] = {}
    for e in explanations:
        groups.setdefault(_same_as(e, lang), (e, []))[1].append(e.subject)
    return [(e, tuple(subjects)) for e, subjects in groups.values()]


def subject_text(subject: str, lang: str = "en") -> str:
    """A result's name for a reader: ``naturalisation.routes[standard]`` -> "naturalisation (standard)"."""
    name = subject.removesuffix(".eligible_from")
    if name.startswith("naturalisation.routes[") and name.endswith("]"):
        name = "naturalisation." + name[len("naturalisation.routes[") : -1]
    if name == "independent_residence":
        return _h("ind_short", lang)
    key = f"scenario-out-{name}"
    return label(key, lang) if has_label(key, lang) else subject


def used_for_text(subjects: tuple[str, ...], lang: str = "en") -> str:
    """`` (used for: permanent residence, EU long-term residence)`` when more than one result rests on it."""
    if len(subjects) < 2:
        return ""
    names = ", ".join(dict.fromkeys(subject_text(s, lang) for s in subjects))
    return f" ({_h('used_for', lang)}: {names})"


def assessment_dict(a: Assessment, lang: str = "en") -> dict[str, Any]:
    """The JSON form of an assessment (documented in README "JSON output")."""
    n = a.notification
    ir = a.independent_residence
    used_for = {_same_as(e, lang): subjects for e, subjects in explanation_groups(a.explanations, lang)}
    out: dict[str, Any] = {
        "id": a.id,
        "as_of": a.as_of.isoformat(),
        "tool_version": _version(),
        "rules_version": RULES_VERSION,
        "end_date_convention": end_convention(lang),
        "options": dict(a.options),
        "residence": [
            {
                **to_jsonable(p),
                "last_day": to_jsonable(p.end - timedelta(days=1)) if p.end else None,
                "name": permit_name(p.record, p.purpose, lang),
            }
            for p in a.residence
        ],
        "procedural_stay": [_named(s, lang) for s in a.procedural],
        "gaps": [{**_named(g, lang), "cause_text": label(g.cause, lang)} for g in a.gaps],
        "gap_days": a.gap_days,
        "notification": None if n is None else {**to_jsonable(n), "status_text": label(n.status, lang)},
        "permanent_residence": _clock(a.permanent_residence, lang),
        "eu_long_term": _clock(a.eu_long_term, lang),
        "naturalisation": {
            "eligible_from": to_jsonable(a.naturalisation.eligible_from),
            "route": a.naturalisation.route,
            "routes": [
                {
                    "route": r.route,
                    "rule": r.rule,
                    "applicable": r.applicable,
                    "title": _route(r.route, lang),
                    **_clock(r.clock, lang),
                }
                for r in a.naturalisation.routes
            ],
        },
        "independent_residence": None
        if ir is None
        else {
            **to_jsonable(ir),
            "conditions": _conditions(ir.conditions, lang),
        },
        "objections": [_named(o, lang) for o in a.objections],
        "decision_periods": [_named(d, lang) for d in a.decision_periods],
        "warnings": [
            {"key": w.key, **to_jsonable(w.params), "text": text(f"warn-{w.key}", w.params, lang)} for w in a.warnings
        ],
        "explanations": [
            {**_explanation(e, lang, a.options), "used_for": list(subjects)}
            for e, subjects in ((e, used_for[_same_as(e, lang)]) for e in a.explanations)
        ],
        "actions": [action_dict(x, lang) for x in a.actions],
    }
    return attach_certainty(out, a.certainty, lang)


def certainty_text(c: Any, lang: str = "en") -> str:
    """What an expected date waits for, in words ("expected, if the IND withdraws the permit
    from the separation date"); the level itself for a recorded or computed date."""
    return lookup("certainty", c.assumes if c.level == "expected" and c.assumes else c.level, lang)


def _expected(certainty: dict[str, Any] | None, path: str, lang: str) -> str | None:
    """The words of an expected date at ``path`` (:mod:`timeline.certainty`), else ``None``."""
    c = expected_at(certainty, path)
    return certainty_text(c, lang) if c is not None else None


def _at(out: Any, path: str) -> Any:
    """The object at a JSON path (``naturalisation.routes[1]``) of ``out``, or ``None``."""
    for part in path.split(".") if path else ():
        name, _, index = part.partition("[")
        out = out.get(name) if isinstance(out, dict) else None
        if index and isinstance(out, list) and int(index[:-1]) < len(out):
            out = out[int(index[:-1])]
        elif index:
            return None
    return out if isinstance(out, dict) else None


def attach_certainty(out: dict[str, Any], certainty: dict[str, Any] | None, lang: str = "en") -> dict[str, Any]:
    """Add to each object of the JSON form ``out`` the certainty of its dates:
    ``"certainty": {"end": "expected", ...}`` and, for the expected ones, ``"expected_if":
    {"end": "expected, if the IND withdraws ..."}`` (README "JSON output reference")."""
    for path, c in (certainty or {}).items():
        where, _, field = path.rpartition(".")
        obj = _at(out, where)
        if obj is None:
            continue
        obj.setdefault("certainty", {})[field] = c.level
        if c.level == "expected":
            obj.setdefault("expected_if", {})[field] = certainty_text(c, lang)
    return out


def record_text(record: Any, lang: str = "en") -> str | None:
    """A record path's name for people (:mod:`timeline.records`), ``None`` for a path
    without one (a result such as ``naturalisation.standard``, or no record)."""
    return name_of(record, lang) if getattr(record, "name", None) is not None else None


def _named(x: Any, lang: str) -> dict[str, Any]:
    """The JSON form of a result with a ``record`` path, and its ``name`` for people beside it."""
    return {**to_jsonable(x), "name": record_text(x.record, lang)}


def _who(who: str, lang: str) -> str:
    return label("action-both" if who == "both" else who, lang)


def action_title(x, lang: str = "en") -> str:
    """A short title of an action (a calendar summary): what, for which record or route, by whom."""
    title = label(f"action-{x.key}", lang)
    if "route" in x.params:  # "Naturalisation can be requested: standard (5 years)" (no brackets in brackets)
        title += f": {_route(x.params['route'], lang)}"
    elif x.record.startswith(("permits[", "applications[")):
        title += f" ({action_subject(x, lang)})"
    if x.key == "report":
        title += f" ({_who(x.who, lang)})"
    return title


def action_subject(x, lang: str = "en") -> str:
    """The record an action is about, named for people: the permit whose extension or
    withdrawal it concerns ("work permit applied for on 15 September 2026"), else the record."""
    purpose = x.params.get("purpose")
    return permit_name(x.record, purpose, lang) if purpose else name_of(x.record, lang)


def action_text(x, lang: str = "en") -> str:
    """The full sentence of an action (:class:`timeline.actions.Action`), in ``lang``.

    Adds what is still needed (conditions not met), what is on record, and the options
    the date depends on.
    """
    params = {k: v for k, v in x.params.items() if k not in ("blocked_by", "options", "to_check")}
    params.update(date=x.date, record=x.record, by=x.who)
    if "route" in params:
        params["route_text"] = _route(params["route"], lang)
    variant = x.params.get("variant")
    out = text(f"action-{x.key}" + (f"-{variant}" if variant else ""), params, lang)
    blocked = x.params.get("blocked_by") or ()
    if blocked:
        items = " ".join(text(f"cond-{c.key}", c.params, lang) for c in blocked)
        out += " " + text("action-still-needed", {"items": items}, lang)
    if x.params.get("application") and x.params.get("application_received"):
        out += " " + text(
            "action-filed", {"application": x.params["application"], "received": x.params["application_received"]}, lang
        )
    opts = x.params.get("options") or {}
    if opts:
        out += " [" + ", ".join(f"{k}={v}" for k, v in opts.items()) + "]"
    return out


def action_status_text(x, lang: str = "en") -> str:
    """The status of an action as a user reads it.

    ``ahead`` reads "to do" and ``met`` "done". ``passed`` depends on the kind: a missed
    deadline or closed window reads "missed"; a reached eligibility date (``earliest``) or an
    open filing window (``window-opens``) reads "can apply now", or "date reached" while a
    condition on record is not met (``blocked_by``, listed under "Still needed").
    """
    if x.status != "passed":
        return label(f"action-{x.status}", lang)
    if x.kind in ("earliest", "window-opens"):
        return label("action-reached" if x.params.get("blocked_by") else "action-can-apply", lang)
    return label("action-missed", lang)


def action_dict(x, lang: str = "en") -> dict[str, Any]:
    """The JSON form of an action: its fields plus ``name`` (its record for people; ``record``
    keeps the path), ``title``, ``text`` and ``status_text``."""
    return {
        **to_jsonable(x),
        "name": action_subject(x, lang) if record_text(x.record, lang) else None,
        "who_text": _who(x.who, lang),
        "status_text": action_status_text(x, lang),
        "title": action_title(x, lang),
        "text": action_text(x, lang),
    }


def actions_lines(actions, lang: str = "en", full: bool = False, certainty: dict[str, Any] | None = None) -> list[str]:
    """The "What to do by when" lines: date, status, rule and title; ``full`` adds the sentence.

    ``certainty`` (:attr:`Assessment.certainty`, with ``actions`` the assessment's own) adds
    what an expected date waits for ("expected, if the permit is extended in time").
    """
    out = []
    for i, x in enumerate(actions):
        when = format_date(x.date, lang, weekday=True)
        title = action_title(x, lang)
        expected = _expected(certainty, f"actions[{i}].date", lang)
        out.append(f"  {when:<28} {action_status_text(x, lang):<16} {x.rule:<5} {title}")
        if expected:
            out[-1] += f" ({expected})"
        if full:
            out.append(f"      {action_text(x, lang)}")
    return out


def _route(route: str, lang: str) -> str:
    return route_label(route, lang)


def _h(key: str, lang: str) -> str:
    return lookup("heading", key, lang)


def _cond_lines(conds: tuple[Condition, ...], lang: str) -> list[str]:
    mark = {True: _h("met", lang), False: _h("not_met", lang), None: _h("unknown", lang)}
    return [f"      [{mark[c.met]}] {text('cond-' + c.key, c.params, lang)}" for c in conds]


def _clock_lines(c: Clock, lang: str, expected: str | None = None) -> list[str]:
    if c.eligible_from is None:
        return [f"    {_h('eligible', lang)}: {_h('not_running', lang)} ({label(c.reason, lang)})"]
    note = f" ({expected})" if expected else ""
    return [
        f"    {_h('clock', lang)}: {format_date(c.clock_start, lang)}",
        f"    {_h('eligible', lang)}: {format_date(c.eligible_from, lang, weekday=True)}{note}",
        f"    {_h('conditions', lang)}:",
        *_cond_lines(c.conditions, lang),
    ]


def assessment_text(a: Assessment, lang: str = "en") -> str:
    """A readable summary: results first, then every explanation with its rule and basis."""
    out = [
        f"{_h('title', lang)}: {one_line(a.id)}  ({_h('as_of', lang)} {format_date(a.as_of, lang)})",
        end_convention(lang),
        "",
    ]
    if a.now_and_next is not None:  # the three questions first (issue 12): now, what to do, when to apply
        from .now_next import now_and_next_lines

        out += [*now_and_next_lines(a.now_and_next, lang, limit=5, certainty=a.certainty), ""]
    out += _residence_lines(a, lang)
    out += ["", *_gap_lines(a, lang)]
    out += _notification_lines(a, lang)
    pr, eu = (_expected(a.certainty, f"{k}.eligible_from", lang) for k in ("permanent_residence", "eu_long_term"))
    out += ["", _h("pr", lang), *_clock_lines(a.permanent_residence, lang, pr)]
    out += ["", _h("eu", lang), *_clock_lines(a.eu_long_term, lang, eu)]
    out += ["", *_naturalisation_lines(a, lang)]
    out += _independent_lines(a, lang)
    if a.objections or a.decision_periods:
        out += ["", _h("deadlines", lang)]
        for o in a.objections:
            what = f"{label(o.decision, lang)} ({name_of(o.record, lang)})"
            out.append(f"  {what}: {format_date(o.deadline, lang, weekday=True)} ({label(o.status, lang)})")
        for dp in a.decision_periods:
            due = f"{format_date(dp.due, lang)} / {format_date(dp.due_extended, lang)}"
            name = name_of(dp.record, lang)
            out.append(f"  {name[:1].upper()}{name[1:]}: {due}")
    if a.actions:
        out += ["", _h("actions", lang), *actions_lines(a.actions, lang, certainty=a.certainty)]
    if a.warnings:
        out += ["", _h("warnings", lang)]
        out += [f"  - {text('warn-' + w.key, w.params, lang)}" for w in a.warnings]
    readings = _readings(a)
    out += ["", *_why_lines(a, lang, readings)]
    if readings:
        out += ["", *_reading_lines(a, lang, readings)]
    return "\n".join(out) + "\n"


def _residence_lines(a: Assessment, lang: str) -> list[str]:
    """Residence: each period of toelating (withdrawn from when), then procedural stay."""
    out = [_h("residence", lang)]
    for i, p in enumerate(a.residence):
        end = (
            f"{format_date(p.end, lang)} ({_h('last_valid', lang)} {format_date(p.end - timedelta(days=1), lang)})"
            if p.end
            else _h("open_end", lang)
        )
        line = f"  {permit_name(p.record, p.purpose, lang)}: {format_date(p.start, lang)} - {end}"
        if p.withdrawn_from:
            expected = _expected(a.certainty, f"residence[{i}].withdrawn_from", lang)
            shown = format_date(p.withdrawn_from, lang) + (f": {expected}" if expected else "")
            line += f"  [{_h('withdrawn', lang)} {shown}]"
        out.append(line)
    for s in a.procedural:
        out.append(
            f"  {_h('procedural', lang)} ({s.basis}): {format_date(s.start, lang)} - "
            f"{format_date(s.end, lang) if s.end else _h('open_end', lang)} ({name_of(s.record, lang)})"
        )
    return out


def _gap_lines(a: Assessment, lang: str) -> list[str]:
    """Residence gaps (DC-6): each with its last day, length and cause, and the total."""
    out = [_h("gaps", lang)]
    if not a.gaps:
        out.append("  " + _h("no_gaps", lang))
    for i, g in enumerate(a.gaps):
        end = (
            f"{format_date(g.end, lang)} ({label('last-day', lang)} {format_date(g.end - timedelta(days=1), lang)})"
            if g.end
            else label("ongoing", lang)
        )
        expected = _expected(a.certainty, f"gaps[{i}].start", lang)
        cause = label(g.cause, lang) + (f"; {expected}" if expected else "")
        out.append(f"  {format_date(g.start, lang)} - {end}: {count(g.days, 'day', lang)} ({cause})")
    if a.gaps:
        out.append(f"  {_h('total', lang)}: {count(a.gap_days, 'day', lang)}")
    return out


def _notification_lines(a: Assessment, lang: str) -> list[str]:
    """The reporting duty (R2.2): deadline, status, each party's duty; nothing when there is none."""
    n = a.notification
    if n is None:
        return []
    return [
        "",
        _h("notification", lang),
        f"  {_h('deadline', lang)}: {format_date(n.deadline, lang, weekday=True)}",
        f"  {_h('status', lang)}: {label(n.status, lang)}"
        + (f" ({count(n.days_late, 'day', lang)})" if n.days_late else ""),
        f"  {_h('duties', lang)}: " + "; ".join(f"{label(d.party, lang)}: {label(d.status, lang)}" for d in n.duties),
    ]


def _naturalisation_lines(a: Assessment, lang: str) -> list[str]:
    """Naturalisation: the earliest date and its route, then each applicable route's clock."""
    nat = a.naturalisation
    out = [_h("nat", lang)]
    expected = _expected(a.certainty, "naturalisation.eligible_from", lang)
    out.append(
        f"  {_h('eligible', lang)}: "
        + (
            f"{format_date(nat.eligible_from, lang, weekday=True)} ({_route(nat.route, lang)})"
            + (f" ({expected})" if expected else "")
            if nat.eligible_from and nat.route
            else _h("not_running", lang)
        )
    )
    for k, r in enumerate(nat.routes):
        if not r.applicable:
            continue
        out.append(f"  {_h('route', lang)}: {_route(r.route, lang)} [{r.rule}]")
        out += _clock_lines(r.clock, lang, _expected(a.certainty, f"naturalisation.routes[{k}].eligible_from", lang))
    return out


def _independent_lines(a: Assessment, lang: str) -> list[str]:
    """Independent residence: status, permit time, the routes indicated; nothing when not assessed."""
    ir = a.independent_residence
    if ir is None:
        return []
    y, m, d = ir.permit_time
    out = [
        "",
        _h("ind", lang),
        f"  {_h('status', lang)}: {label(ir.status, lang)}"
        + (f" {format_date(ir.eligible_from, lang)}" if ir.eligible_from else "")
        + (f" ({label(ir.reason, lang)})" if ir.reason else ""),
        f"  {_h('permit_time', lang)}: {duration(y, m, d, lang)}",
    ]
    for possible in ir.possible_routes:
        if possible.indicated:
            out.append(f"  ! {label(possible.route, lang)}")
    return out


def _readings(a: Assessment) -> dict[str, str]:
    """The options the explanations read, each with its letter ("a", "b", ...), in order of first use."""
    keys = dict.fromkeys(k for e in a.explanations for k in e.options)
    return {k: chr(ord("a") + i) if i < 26 else str(i + 1) for i, k in enumerate(keys)}


def _why_lines(a: Assessment, lang: str, readings: dict[str, str]) -> list[str]:
    """Why: every explanation with its rule, basis, what it was used for and the readings of the
    law it rests on (by letter: :func:`_reading_lines` says them in words)."""
    out = [_h("why", lang)]
    for e, subjects in explanation_groups(a.explanations, lang):
        cit = CITATIONS.get(e.rule)
        basis = f" ({cit.basis})" if cit else ""
        used = ", ".join(sorted(readings[k] for k in e.options))
        out.append(
            f"  [{e.rule}{basis}] {text(e.key, {**e.params, 'result': e.result}, lang)}"
            + used_for_text(subjects, lang)
            + (f" [{_h('reading', lang)} {used}]" if used else "")
        )
    return out


def _reading_lines(a: Assessment, lang: str, readings: dict[str, str]) -> list[str]:
    """The readings of the law the explanations rest on, in plain words (the options in force,
    as the report's assumptions say them); a reading chosen for this case is marked."""
    out = [_h("readings", lang)]
    for key, letter in readings.items():
        value = a.options[key]
        chosen = f" {_h('reading-chosen', lang)}" if value != _default(key) else ""
        out.append(f"  ({letter}) {lookup('assumption', f'{key}={value}', lang)}{chosen}")
    return out


def _default(key: str) -> str:
    from .options import OPTIONS

    return OPTIONS[key].default
