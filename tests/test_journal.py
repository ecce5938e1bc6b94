import datetime as dt

import pytest

from hipknee.errors import ValidationError
from hipknee.journal import EARLIEST_DATE, NOTES_MAX_CHARS, PAIN_ANCHORS, make_entry, today_in

TODAY = dt.date(2026, 6, 15)


def test_valid_entry_keeps_values():
    e = make_entry(TODAY, 4, 2, True, "stairs ok", today=TODAY)
    assert (e.date, e.worst_pain, e.activity_pain, e.did_routine, e.notes) == (TODAY, 4, 2, True, "stairs ok")


@pytest.mark.parametrize("pain", [0, 10])
def test_pain_bounds_accepted(pain):
    assert make_entry(TODAY, pain, pain, today=TODAY).worst_pain == pain


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"worst_pain": 11}, "worst_pain"),
        ({"worst_pain": -1}, "worst_pain"),
        ({"worst_pain": 3.5}, "worst_pain"),
        ({"worst_pain": True}, "worst_pain"),
        ({"worst_pain": None}, "worst_pain"),
        ({"activity_pain": 12}, "activity_pain"),
        ({"date": TODAY + dt.timedelta(days=1)}, "date"),
        ({"date": EARLIEST_DATE - dt.timedelta(days=1)}, "date"),
        ({"date": "2026-01-01"}, "date"),
        ({"notes": "x" * (NOTES_MAX_CHARS + 1)}, "notes"),
        ({"did_routine": "yes"}, "did_routine"),
    ],
)
def test_bad_values_name_the_field(kwargs, field):
    values = {"date": TODAY, "worst_pain": 3, **kwargs}
    with pytest.raises(ValidationError) as info:
        make_entry(**values, today=TODAY)
    assert info.value.field == field


def test_notes_at_limit_and_earliest_date_accepted():
    e = make_entry(EARLIEST_DATE, 1, notes="x" * NOTES_MAX_CHARS, today=TODAY)
    assert len(e.notes) == NOTES_MAX_CHARS


def test_today_depends_on_time_zone():
    # Kiritimati (UTC+14) and Niue (UTC-11) are never on the same date at any moment.
    assert today_in("Pacific/Kiritimati") != today_in("Pacific/Niue")
    assert today_in("Not/AZone") == dt.date.today()


def test_anchors_cover_the_scale():
    assert sorted(PAIN_ANCHORS) == list(range(11))
