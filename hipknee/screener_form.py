"""The screener form as a pure model: which questions show, what is missing, where Next/Back lead, and what
the finished form hands to ``hipknee.screening.assess``. The Screener page only draws it (issue 12).

Everything is driven by the content of ``data/screener.toml`` (steps, questions, follow-ups and their
parents) and by ``hipknee.screening`` (tailoring ids, validity): no question id is written here.

Form answers are what the widgets give: a yes/no question holds "yes", "no" or "unsure" ("not sure"); a
number question holds an int. A question missing from the mapping is unanswered.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from hipknee.gate import expires_on, is_expired
from hipknee.screening import TAILORING_IDS, Question, Screener, Step
from hipknee.statuses import Tier

FormAnswer = str | int
CHOICES = ("yes", "no", "unsure")  # a yes/no question's form values, in the order shown
COUNTS_AS_YES = ("yes", "unsure")  # "not sure" counts as yes, to be safe (issue 4)


@dataclass(frozen=True)
class Move:
    """What pressing Next (or "See my result" on the last step) leads to.

    ``kind`` is "missing" (stay: ``missing`` lists the unanswered required questions on this step),
    "step" (go to ``step``) or "submit" (the last step is complete: assess and save).
    """

    kind: Literal["missing", "step", "submit"]
    step: int
    missing: tuple[str, ...] = ()


@dataclass(frozen=True)
class ScreenerForm:
    screener: Screener

    @property
    def steps(self) -> tuple[Step, ...]:
        return self.screener.steps

    def question(self, qid: str) -> Question:
        return self.screener.questions[qid]

    def clamp(self, index: int) -> int:
        """A step index that exists (a stale index from an older questionnaire falls on the last step)."""
        return max(0, min(index, len(self.steps) - 1))

    def is_last(self, index: int) -> bool:
        return index == len(self.steps) - 1

    def cites_source(self, index: int) -> bool:
        """Does the step's intro name the questionnaire it adapts (``source_name``)? Then it links it."""
        return bool(self.screener.source_name) and self.screener.source_name in self.steps[index].intro

    def visible(self, qid: str, answers: Mapping[str, FormAnswer]) -> bool:
        """A follow-up shows only while its parent is answered yes or "not sure"; other questions always."""
        parent = self.question(qid).parent
        return parent is None or answers.get(parent) in COUNTS_AS_YES

    def layout(self, index: int) -> list[tuple[str, tuple[str, ...]]]:
        """The step's top-level questions in order, each with its follow-ups on the same step."""
        ids = self.steps[index].question_ids
        return [
            (qid, tuple(c for c in ids if self.question(c).parent == qid))
            for qid in ids
            if self.question(qid).parent is None
        ]

    def unanswered(self, index: int, answers: Mapping[str, FormAnswer]) -> list[str]:
        """Required questions shown on the step that have no answer yet, in step order."""
        return [
            qid
            for qid in self.steps[index].question_ids
            if self.question(qid).required and self.visible(qid, answers) and answers.get(qid) is None
        ]

    def next_move(self, index: int, answers: Mapping[str, FormAnswer]) -> Move:
        """Where Next leads from step ``index``: back to the gaps, to the next step, or to the result."""
        gaps = self.unanswered(index, answers)
        if gaps:
            return Move("missing", index, tuple(gaps))
        if self.is_last(index):
            return Move("submit", index)
        return Move("step", index + 1)

    def for_assess(self, answers: Mapping[str, FormAnswer]) -> tuple[dict[str, bool | int], list[str]]:
        """The shown answers as ``assess`` takes them ("not sure" -> True), and the ids answered "not sure".

        Answers to hidden follow-ups (their parent was changed to "no") are left out.
        """
        out: dict[str, bool | int] = {}
        unsure: list[str] = []
        for qid, question in self.screener.questions.items():
            value = answers.get(qid)
            if value is None or not self.visible(qid, answers):
                continue
            if question.type == "bool":
                out[qid] = value in COUNTS_AS_YES
                if value == "unsure":
                    unsure.append(qid)
            else:
                out[qid] = int(value)
        return out, unsure

    def first_step_with(self, ids: tuple[str, ...] | list[str]) -> int:
        """The first step holding any of ``ids`` (0 when none does): where to send the person back to."""
        wanted = set(ids)
        return next((i for i, step in enumerate(self.steps) if wanted & set(step.question_ids)), 0)

    def tailoring_questions(self, answers: Mapping[str, object]) -> list[Question]:
        """The tailoring questions (``screening.TAILORING_IDS``) a stored screening answered yes."""
        return [self.question(t) for t in TAILORING_IDS if answers.get(t) is True]

    def validity(self, taken_at: dt.datetime, tier: str, today: dt.date) -> str:
        """How long a screening counts, in words: a STOP result until a new one, others ``valid_days``."""
        if tier == Tier.STOP:
            return "the routine stays closed until you take a new one"
        if is_expired(taken_at, today, self.screener):
            return f"it expired on {expires_on(taken_at, self.screener):%d %B %Y}"
        last_day = expires_on(taken_at, self.screener) - dt.timedelta(days=1)
        return f"valid until {last_day:%d %B %Y}"
