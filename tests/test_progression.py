"""The pain-monitored progression rule (issue 14) on known histories."""

from __future__ import annotations

import datetime as dt

import pytest

from hipknee.progression import ChoiceError, LevelChoice, Rules, SessionLog, can_choose, check_choice, replay, zone
from hipknee.statuses import Zone

D0 = dt.date(2026, 3, 2)
RULES = Rules(
    start_level={"clamshell": 1, "bridge": 2},
    max_level={"clamshell": 3, "bridge": 3},
    names={"clamshell": ["Clamshell", "Clamshell with a light band", "Clamshell with a firmer band"],
           "bridge": ["Bridge", "Bridge with a hold", "Single-leg bridge"]},
)


def day(n: int) -> dt.date:
    return D0 + dt.timedelta(days=n)


def green(n: int, **levels: int) -> SessionLog:
    return SessionLog(day(n), "completed", 1, "same", levels or {"clamshell": 1})


@pytest.mark.parametrize(("status", "pain", "morning", "expected"), [
    ("completed", 0, "better", Zone.GREEN),
    ("completed", 2, "same", Zone.GREEN),
    ("completed", 2, "worse", Zone.AMBER),  # morning worse after a comfortable session is amber
    ("completed", 3, "same", Zone.AMBER),
    ("completed", 5, "better", Zone.AMBER),
    ("completed", 6, "same", Zone.RED),
    ("completed", 10, None, Zone.RED),
    ("stopped", 0, "better", Zone.RED),  # a stop for pain is red whatever the score
    ("stopped", None, None, Zone.RED),
    ("completed", 1, None, None),  # morning not answered yet: cannot be green
    ("completed", None, "same", None),
    ("completed", None, "worse", Zone.AMBER),
])
def test_zone(status: str, pain: int | None, morning: str | None, expected: Zone | None) -> None:
    assert zone(SessionLog(D0, status, pain, morning)) == expected


def test_two_greens_move_up_one_level_with_a_reason() -> None:
    progress = replay([green(0), green(2)], RULES)
    assert progress.levels["clamshell"] == 2
    last = progress.last["clamshell"]
    assert last is not None and last.change == "up" and last.date == day(2)
    assert last.reason == ("Clamshell moved up to Clamshell with a light band: your last two sessions were "
                           "comfortable and your knee was fine the next morning.")
    assert [(s.before, s.after) for s in progress.history] == [(1, 2)]
    # Bridge was not done: untouched.
    assert progress.levels["bridge"] == 2 and progress.last["bridge"] is None


def test_one_green_stays() -> None:
    progress = replay([green(0)], RULES)
    assert progress.levels["clamshell"] == 1
    assert progress.last["clamshell"].change == "same"  # type: ignore[union-attr]


def test_amber_holds_and_restarts_the_run() -> None:
    amber = SessionLog(day(2), "completed", 4, "same", {"clamshell": 1})
    progress = replay([green(0), amber, green(4)], RULES)
    assert progress.levels["clamshell"] == 1
    assert "4/10" in replay([green(0), amber], RULES).last["clamshell"].reason  # type: ignore[union-attr]
    assert replay([green(0), amber, green(4), green(6)], RULES).levels["clamshell"] == 2


def test_morning_worse_after_green_session_is_amber_and_holds() -> None:
    worse = SessionLog(day(2), "completed", 1, "worse", {"clamshell": 1})
    progress = replay([green(0), worse], RULES)
    assert progress.levels["clamshell"] == 1
    assert "worse the morning after" in progress.last["clamshell"].reason  # type: ignore[union-attr]


def test_red_moves_down_and_suggests_form() -> None:
    red = SessionLog(day(1), "completed", 7, "same", {"bridge": 2})
    progress = replay([red], RULES)
    assert progress.levels["bridge"] == 1
    step = progress.last["bridge"]
    assert step is not None and step.change == "down" and "form" in step.reason and "7/10" in step.reason


def test_stop_for_pain_is_red() -> None:
    stopped = SessionLog(day(1), "stopped", None, None, {"bridge": 2})
    progress = replay([stopped], RULES)
    assert progress.levels["bridge"] == 1
    assert "stopped" in progress.last["bridge"].reason  # type: ignore[union-attr]


def test_red_at_level_one_stays_and_suggests_the_easier_way() -> None:
    progress = replay([SessionLog(day(0), "stopped", 8, None, {"clamshell": 1})], RULES)
    assert progress.levels["clamshell"] == 1
    step = progress.last["clamshell"]
    assert step is not None and step.change == "same" and "easier way" in step.reason


def test_at_most_one_step_up_a_week() -> None:
    # Up on day 2; two more greens on days 4 and 6 (< 7 days after the step): held.
    sessions = [green(0), green(2), green(4, clamshell=2), green(6, clamshell=2)]
    progress = replay(sessions, RULES)
    assert progress.levels["clamshell"] == 2
    assert "once a week" in progress.last["clamshell"].reason  # type: ignore[union-attr]
    # The next green a week after the step moves it up.
    progress = replay([*sessions, green(9, clamshell=2)], RULES)
    assert progress.levels["clamshell"] == 3
    assert [s.date for s in progress.history] == [day(2), day(9)]


def test_never_above_the_plan() -> None:
    rules = Rules(start_level={"clamshell": 3}, max_level={"clamshell": 3}, names=RULES.names)
    progress = replay([green(0, clamshell=3), green(2, clamshell=3)], rules)
    assert progress.levels["clamshell"] == 3
    assert "highest level" in progress.last["clamshell"].reason  # type: ignore[union-attr]


def test_unanswered_morning_neither_counts_nor_breaks_the_run() -> None:
    pending = SessionLog(day(2), "completed", 1, None, {"clamshell": 1})
    assert replay([green(0), pending], RULES).levels["clamshell"] == 1
    assert replay([green(0), pending, green(4)], RULES).levels["clamshell"] == 2


def test_choosing_easier() -> None:
    choice = LevelChoice(day(1), "bridge", 1)
    progress = replay([], RULES, choices=[choice])
    assert progress.levels["bridge"] == 1 and progress.history[0].chosen
    # Harder than planned is not a choice: ignored.
    assert replay([], RULES, choices=[LevelChoice(day(1), "bridge", 3)]).levels["bridge"] == 2
    assert can_choose(1, 2) and can_choose(2, 2) and not can_choose(3, 2) and not can_choose(0, 2)


def test_easier_level_done_does_not_count_towards_moving_up() -> None:
    sessions = [SessionLog(day(n), "completed", 0, "better", {"bridge": 1}) for n in (0, 2)]
    assert replay(sessions, RULES).levels["bridge"] == 2


def test_order_of_input_does_not_matter() -> None:
    sessions = [green(0), green(2)]
    assert replay(list(reversed(sessions)), RULES).levels == replay(sessions, RULES).levels


def at(n: int, hour: int) -> dt.datetime:
    return dt.datetime.combine(day(n), dt.time(hour))


def test_a_choice_counts_from_the_chosen_level_under_the_same_rule() -> None:
    # Bridge starts at 2; the person chooses 1 on day 0; two greens at 1 -> up one from the chosen level (2),
    # not from the planned one (to 3).
    choice = LevelChoice(day(0), "bridge", 1, at(0, 8))
    sessions = [SessionLog(day(n), "completed", 0, "same", {"bridge": 1}, at(n, 9)) for n in (0, 2)]
    assert replay(sessions[:1], RULES, choices=[choice]).levels["bridge"] == 1
    progress = replay(sessions, RULES, choices=[choice])
    assert progress.levels["bridge"] == 2 and progress.last["bridge"].change == "up"
    assert [(s.before, s.after, s.chosen) for s in progress.history] == [(2, 1, True), (1, 2, False)]
    assert progress.history[0].reason.startswith("You chose Bridge instead of Bridge with a hold on 2 March 2026")


def test_a_choice_made_after_the_days_session_leaves_that_session_as_played() -> None:
    # Day 0: a green session at level 2 at 09:00, then the choice of level 1 at 18:00. The session counted
    # at level 2 (one green), and the choice then resets the run: a green at level 1 on day 2 is only the first.
    played = SessionLog(day(0), "completed", 0, "same", {"bridge": 2}, at(0, 9))
    later = LevelChoice(day(0), "bridge", 1, at(0, 18))
    progress = replay([played], RULES, choices=[later])
    assert progress.levels["bridge"] == 1 and progress.history[-1].chosen
    again = SessionLog(day(2), "completed", 0, "same", {"bridge": 1}, at(2, 9))
    assert replay([played, again], RULES, choices=[later]).levels["bridge"] == 1
    # Made before the session instead (the session then plays the chosen level), the two greens at level 1
    # move it up again.
    earlier = LevelChoice(day(0), "bridge", 1, at(0, 8))
    at_one = SessionLog(day(0), "completed", 0, "same", {"bridge": 1}, at(0, 9))
    assert replay([at_one, again], RULES, choices=[earlier]).levels["bridge"] == 2
    # A choice without a time comes before every session of its day.
    untimed = LevelChoice(day(0), "bridge", 1)
    assert [s.chosen for s in replay([played], RULES, choices=[untimed]).history] == [True]


def test_a_red_session_after_a_choice_moves_down_from_the_chosen_level() -> None:
    choice = LevelChoice(day(0), "bridge", 2, at(0, 8))
    progress = replay([], RULES, choices=[choice])
    assert progress.levels["bridge"] == 2 and progress.history == []  # the planned level: no change
    stopped = SessionLog(day(1), "stopped", 7, None, {"clamshell": 1})
    choice_down = LevelChoice(day(0), "clamshell", 1, at(0, 8))
    assert replay([stopped], RULES, choices=[choice_down]).levels["clamshell"] == 1  # already the easiest


def test_choosing_harder_is_refused_with_a_clear_error() -> None:
    assert check_choice(RULES, "bridge", 1, 2) == 1
    assert check_choice(RULES, "bridge", 2, 2) == 2
    with pytest.raises(ChoiceError, match=r"level 3 \(Single-leg bridge\) is harder than your plan gives today"):
        check_choice(RULES, "bridge", 3, 2)
    with pytest.raises(ChoiceError, match="whole number from 1"):
        check_choice(RULES, "bridge", 0, 2)
    with pytest.raises(ChoiceError, match="whole number from 1"):
        check_choice(RULES, "bridge", True, 2)
    with pytest.raises(ChoiceError, match="not an exercise of your plan"):
        check_choice(RULES, "squat", 1, 2)
