"""Any valid case assesses without error, and renders in both languages (no crash, no stray braces)."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest
from budget import examples
from hypothesis import given, settings
from hypothesis import strategies as st
from test_io import cases

from timeline import CaseError, assess
from timeline.model import first_event
from timeline.presentation import assessment_text

PLACEHOLDER = re.compile(r"\{[a-z_]+\}")  # an unfilled template field
AS_OF = st.dates(min_value=date(2015, 1, 1), max_value=date(2035, 12, 31))


@settings(max_examples=examples(300), deadline=None)  # budget.py: 300 with --ci
@given(cases(), AS_OF)
def test_every_valid_case_assesses_and_renders(case, as_of):
    first, birth = first_event(case), case.person.birth_date
    if first is None or as_of < first or (birth is not None and birth > as_of):
        with pytest.raises(CaseError):  # nothing to assess on as_of (engine.check_facts)
            assess(case, as_of)
        return
    a = assess(case._replace(id="case"), as_of)  # the id is free text: keep braces out of it
    for lang in ("en", "nl"):
        data = json.loads(json.dumps(a.to_dict(lang)))
        text = assessment_text(a, lang)
        assert not PLACEHOLDER.search(text)
        assert all(e["text"] and not PLACEHOLDER.search(e["text"]) for e in data["explanations"])
    assert a.gap_days == sum(g.days for g in a.gaps) >= 0
    for g in a.gaps:
        assert g.start < (g.end or as_of) <= as_of
    for clock in (a.permanent_residence, a.eu_long_term, *(r.clock for r in a.naturalisation.routes)):
        assert (clock.eligible_from is None) == (clock.period_complete is None) or clock.reason
