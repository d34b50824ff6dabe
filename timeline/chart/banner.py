"""The banner above the chart: now, next and when, in one to three lines (issue 12).

The three questions a client comes with, answered in the largest type on the page from
the assessment's "now and next" (:mod:`timeline.now_next`, computed once for every face):

1. **now**: with a permit (which, until when), in a residence gap (since when, how many
   days), a withdrawal expected but not decided, and a procedural stay if there is one;
2. **next**: the first deadline or window still ahead, its date and the time left;
3. **when**: the routes that can be applied for now, and the first date still to come.

Each line is a :class:`~timeline.chart.spec.BannerLine` with a ``tone`` (``ok``,
``warning``, ``info``) that the drawing shows as a coloured mark and the weight of the
type. Counts and dates come from :mod:`timeline.now_next` and :func:`timeline.dates.ymd_between`;
nothing here computes a legal date.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from ..certainty import expected_at
from ..i18n import label
from .spec import BannerLine
from .texts import chart_text, purpose_text, short_date, time_left

__all__ = ["WARN_DAYS", "banner_lines"]

_t = chart_text

#: An action within this many days is a warning (the reporting and objection terms are 4 weeks).
WARN_DAYS = 28
#: Actions the eligibility line says already (line 3), not repeated as "next".
_EARLIEST = "earliest"


def banner_lines(nn: Any, lang: str, certainty: dict[str, Any] | None = None) -> list[BannerLine]:
    """The banner of ``nn`` (a :class:`timeline.now_next.NowAndNext`): now, next, when. A date
    to apply that is ``expected`` in ``certainty`` (:mod:`timeline.certainty`: it needs an
    extension or a decision still to come) says so."""
    if nn is None:
        return []
    return [_now(nn, lang), _next(nn, lang), _when(nn, lang, certainty or {})]


def _now(nn: Any, lang: str) -> BannerLine:
    s = nn.status
    if s.state == "permit":
        permit = _t("permit", lang, purpose=purpose_text(s.purpose, lang))
        if s.until is None:
            text = _t("banner-now-permit-open", lang, permit=permit)
        else:
            last = date.fromordinal(s.until.toordinal() - 1)  # DC-1: the end is the first day without it
            text = _t("banner-now-permit", lang, permit=permit, d=short_date(last, lang))
        tone = "ok"
    elif s.state == "gap" and s.expected:
        text, tone = _t("banner-now-expected", lang, d=short_date(s.since, lang)), "warning"
    elif s.state == "gap" and not s.days:
        text, tone = _t("banner-now-gap-today", lang), "warning"
    elif s.state == "gap":
        text, tone = _t("banner-now-gap", lang, d=short_date(s.since, lang), n=s.days), "warning"
    else:
        text, tone = _t("banner-now-none", lang), "info"
    if s.procedural is not None and s.state != "permit":
        text += "; " + _t("banner-procedural", lang, basis=s.procedural)
    return BannerLine("now", text, tone)


def _next(nn: Any, lang: str) -> BannerLine:
    ahead = [u for u in nn.ahead if u.action.kind != _EARLIEST]
    if not ahead:
        return BannerLine("next", _t("banner-next-none", lang), "info")
    u = ahead[0]
    what = label(f"action-{u.action.key}", lang)
    if len(what) > 1 and what[1].islower():  # mid-sentence: "Next: extension window opens" (not "EU", "IND")
        what = what[0].lower() + what[1:]
    if u.action.key == "report":  # one report each: both parties when both are still due that day
        same = {x.action.who for x in ahead if (x.action.key, x.action.date) == (u.action.key, u.action.date)}
        what += f" ({label('action-both', lang) if len(same) > 1 else label(u.action.who, lang)})"
    left = time_left(nn.as_of, u.action.date, lang)
    text = _t("banner-next", lang, what=what, d=short_date(u.action.date, lang), left=left)
    return BannerLine("next", text, "warning" if u.days_left <= WARN_DAYS else "info")


def _when(nn: Any, lang: str, certainty: dict[str, Any]) -> BannerLine:
    """ "Apply now: naturalisation; from 11 Mar 2026 (in 2 y 3 m): permanent residence"."""
    now = [e for e in nn.eligibility if e.can_apply_now]
    blocked = [e for e in nn.eligibility if e.date is not None and not e.can_apply_now and e.time_left is None]
    future = sorted((e for e in nn.eligibility if e.time_left is not None), key=lambda e: e.date)
    later = None
    if future:
        d = future[0].date
        first = _routes([e for e in future if e.date == d], lang)
        left = time_left(nn.as_of, d, lang)
        expected = [
            k for k, e in enumerate(nn.eligibility)
            if e.date == d and expected_at(certainty, f"now_and_next.eligibility[{k}].date") is not None
        ]  # fmt: skip
        if expected:  # it needs an extension or a decision still to come (issue 12 §2)
            left = _t("banner-expected", lang, left=left)
        later = _t("banner-when-from", lang, what=first, d=short_date(d, lang), left=left)
    if now:
        head, tone = _t("banner-when-now", lang, what=_routes(now, lang)), "ok"
    elif blocked:
        head, tone = _t("banner-when-blocked", lang, what=_routes(blocked, lang)), "info"
    elif later is not None:
        return BannerLine("when", _t("banner-when", lang, later=later), "info")
    else:
        return BannerLine("when", _t("banner-when-none", lang), "info")
    return BannerLine("when", head if later is None else f"{head}; {later}", tone)


def _routes(entries: list[Any], lang: str) -> str:
    """The routes of ``entries``, named briefly and joined ("permanent residence, naturalisation")."""
    return ", ".join(_t(f"route-{e.route}", lang) for e in entries)
