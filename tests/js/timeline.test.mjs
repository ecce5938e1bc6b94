// Unit tests for the player's timing (static/player/timeline.js), with a fake clock. Run: node --test tests/js/
import assert from "node:assert/strict";
import { describe, test } from "node:test";

import {
  BACK_RESTART_MS, BEEP_LEAD_MS, TONES, Timeline, beepPlan, clockText, indexAt, repAt,
} from "../../static/player/timeline.js";

// A plan shaped like hipknee.routines.Step.as_dict (times in seconds, back to back):
//   0 get_ready 0–5, 1 hold 5–15, 2 rest 15–20, 3 reps 20–29 (3 reps of 3 s)
function step(kind, start, seconds, extra = {}) {
  return { kind, start, seconds, reps: 1, seconds_per_rep: 1, ...extra };
}
const STEPS = [
  step("get_ready", 0, 5),
  step("hold", 5, 10),
  step("rest", 15, 5),
  step("reps", 20, 9, { reps: 3, seconds_per_rep: 3 }),
];
const TOTAL = 29_000;

function fakeClock(t = 100_000) {
  const clock = { t, now: () => clock.t, advance: (ms) => { clock.t += ms; } };
  return clock;
}

function started(startAt = 100_000) {
  const clock = fakeClock(startAt);
  const tl = new Timeline(STEPS, { now: clock.now });
  tl.start();
  tl.enter(0); // what the player does on Start
  return { clock, tl };
}

describe("clockText", () => {
  test("rounds up to the whole second, so 0:01 shows until the very end", () => {
    assert.equal(clockText(0), "0:00");
    assert.equal(clockText(1), "0:01");
    assert.equal(clockText(1000), "0:01");
    assert.equal(clockText(1001), "0:02");
    assert.equal(clockText(59_999), "1:00");
    assert.equal(clockText(61_001), "1:02");
    assert.equal(clockText(600_000), "10:00");
  });
  test("never shows a negative time", () => {
    assert.equal(clockText(-500), "0:00");
  });
});

describe("indexAt", () => {
  const ends = [5000, 15_000, 20_000, 29_000];
  test("a step holds [start, end): a boundary belongs to the next step", () => {
    assert.equal(indexAt(ends, 0), 0);
    assert.equal(indexAt(ends, 4999), 0);
    assert.equal(indexAt(ends, 5000), 1);
    assert.equal(indexAt(ends, 14_999.5), 1);
    assert.equal(indexAt(ends, 15_000), 2);
    assert.equal(indexAt(ends, 28_999), 3);
  });
  test("past the end (or before the start) stays on the last (or first) step", () => {
    assert.equal(indexAt(ends, 29_000), 3);
    assert.equal(indexAt(ends, 1e9), 3);
    assert.equal(indexAt(ends, -100), 0);
  });
  test("agrees with a linear search on many positions", () => {
    for (let pos = -1000; pos <= 31_000; pos += 250) {
      const linear = ends.findIndex((e) => e > pos);
      assert.equal(indexAt(ends, pos), linear === -1 ? ends.length - 1 : linear, `pos ${pos}`);
    }
  });
});

describe("the clock", () => {
  test("rejects an empty plan", () => {
    assert.throws(() => new Timeline([], { now: () => 0 }), /at least one step/);
  });

  test("uses the injected now() and the plan's boundaries", () => {
    const clock = fakeClock(5_000);
    const tl = new Timeline(STEPS, { now: clock.now });
    assert.equal(tl.status, "idle");
    assert.equal(tl.totalMs, TOTAL);
    assert.equal(tl.workCount, 2);
    assert.equal(tl.position(), 0);
    tl.start();
    clock.advance(3_250);
    assert.equal(tl.position(), 3_250);
    assert.equal(tl.indexAt(tl.position()), 0);
    clock.advance(2_000);
    assert.equal(tl.indexAt(tl.position()), 1);
  });

  test("pause freezes the position and the active time; resume carries on from there", () => {
    const { clock, tl } = started();
    clock.advance(3_000);
    assert.equal(tl.pause(), true);
    assert.equal(tl.pause(), false); // already paused
    clock.advance(60_000);
    assert.equal(tl.status, "paused");
    assert.equal(tl.position(), 3_000);
    assert.equal(tl.activeMs(), 3_000);
    assert.equal(tl.resume(), true);
    assert.equal(tl.resume(), false);
    clock.advance(2_000);
    assert.equal(tl.position(), 5_000);
    assert.equal(tl.activeMs(), 5_000);
  });

  test("one reading of now can be passed to every call of an action", () => {
    const { clock, tl } = started();
    const at = clock.t + 4_000;
    clock.advance(10_000); // the live clock is elsewhere; the explicit reading wins
    assert.equal(tl.position(at), 4_000);
    assert.equal(tl.activeMs(at), 4_000);
  });

  test("the boundary timer wakes just after the end of the current step", () => {
    const { tl } = started();
    assert.equal(tl.msToNextBoundary(0), 5_005);
    assert.equal(tl.msToNextBoundary(4_990), 15);
    assert.equal(tl.msToNextBoundary(5_000), 10_005);
  });
});

describe("tick: stepping through in time", () => {
  test("enters each step once and counts a hold or rep run as done when it ends", () => {
    const { clock, tl } = started();
    clock.advance(1_000);
    assert.deepEqual(tl.tick(), { finished: false, pos: 1_000, index: 0, entered: false, newlyDone: 0 });
    clock.advance(4_000); // 5.0 s: the hold starts; a get-ready is not an exercise step
    assert.deepEqual(tl.tick(), { finished: false, pos: 5_000, index: 1, entered: true, newlyDone: 0 });
    assert.equal(tl.tick().entered, false);
    clock.advance(10_000); // 15 s: the hold is done
    assert.deepEqual(tl.tick(), { finished: false, pos: 15_000, index: 2, entered: true, newlyDone: 1 });
    assert.deepEqual([...tl.doneSteps], [1]);
    clock.advance(5_000);
    assert.equal(tl.tick().newlyDone, 0); // a rest is not an exercise step either
    clock.advance(9_000); // exactly the planned end
    const end = tl.tick();
    assert.equal(end.finished, true);
    assert.equal(tl.status, "done");
    assert.deepEqual([...tl.doneSteps].sort(), [1, 3]);
    assert.equal(tl.lastIndex, 3);
    assert.equal(tl.activeMs(), TOTAL);
    assert.equal(tl.position(), TOTAL);
  });

  test("does nothing while paused, idle or stopped", () => {
    const { clock, tl } = started();
    tl.pause();
    clock.advance(100_000);
    assert.equal(tl.tick().entered, false);
    assert.equal(tl.status, "paused");
    const idle = new Timeline(STEPS, { now: clock.now });
    assert.deepEqual(idle.tick(), { finished: false, pos: 0, index: 0, entered: false, newlyDone: 0 });
  });
});

describe("catch-up after a hidden tab", () => {
  test("the first tick back jumps to the right step and counts every step passed as done", () => {
    const { clock, tl } = started();
    clock.advance(2_000);
    tl.tick();
    clock.advance(22_500); // hidden from 2 s to 24.5 s: no ticks at all meanwhile
    const t = tl.tick();
    assert.deepEqual(t, { finished: false, pos: 24_500, index: 3, entered: true, newlyDone: 1 });
    assert.deepEqual([...tl.doneSteps], [1]);
    assert.equal(tl.lastIndex, 3);
    assert.equal(tl.activeMs(), 24_500);
  });

  test("back after the end: finished at the planned end, not when the tab came back", () => {
    const { clock, tl } = started();
    clock.advance(3_000);
    tl.tick();
    clock.advance(300_000);
    const t = tl.tick();
    assert.equal(t.finished, true);
    assert.equal(tl.status, "done");
    assert.deepEqual([...tl.doneSteps].sort(), [1, 3]);
    assert.equal(tl.activeMs(), TOTAL); // not 303 s
  });

  test("time paused before hiding stays paused", () => {
    const { clock, tl } = started();
    clock.advance(6_000);
    tl.tick();
    tl.pause();
    clock.advance(120_000);
    const t = tl.tick();
    assert.equal(t.pos, 6_000);
    assert.equal(t.index, 1);
    assert.equal(tl.doneSteps.size, 0);
  });
});

describe("back and skip", () => {
  test("skip goes to the end of the current step", () => {
    const { clock, tl } = started();
    clock.advance(6_000);
    assert.equal(tl.skipTarget(), 15_000);
    clock.advance(9_000); // exactly at 15 s, the rest has begun
    assert.equal(tl.skipTarget(), 20_000);
  });

  test(`back within the first ${BACK_RESTART_MS} ms of a step goes to the step before, later to this step's start`, () => {
    const { clock, tl } = started();
    clock.advance(1_000);
    assert.equal(tl.backTarget(), 0); // the first step has nothing before it
    clock.advance(5_000); // 6 s: 1 s into the hold
    assert.equal(tl.backTarget(), 0);
    clock.advance(1_000); // 7 s: exactly 2 s in, still the step before
    assert.equal(tl.backTarget(), 0);
    clock.advance(1); // just over 2 s in
    assert.equal(tl.backTarget(), 5_000);
  });

  test("a jump moves the clock, not the boundaries; the skipped hold does not count as done", () => {
    const { clock, tl } = started();
    clock.advance(6_000);
    tl.enter(tl.tick().index);
    const i = tl.jumpTo(tl.skipTarget());
    assert.equal(i, 2);
    tl.enter(i); // the player shows the step it landed on
    assert.equal(tl.position(), 15_000);
    clock.advance(1_000);
    assert.deepEqual(tl.tick(), { finished: false, pos: 16_000, index: 2, entered: false, newlyDone: 0 });
    assert.equal(tl.doneSteps.size, 0);
    assert.equal(tl.activeMs(), 7_000); // real time spent, not plan time skipped
    assert.deepEqual(tl.endsMs, [5_000, 15_000, 20_000, 29_000]);
  });

  test("back then replay: the step counts once when it ends", () => {
    const { clock, tl } = started();
    clock.advance(16_000);
    tl.tick(); // the hold is done
    tl.enter(tl.jumpTo(tl.backTarget())); // 1 s into the rest: back to the hold
    assert.equal(tl.position(), 5_000);
    clock.advance(10_000);
    const t = tl.tick();
    assert.equal(t.entered, true);
    assert.equal(t.newlyDone, 0); // already counted
    assert.deepEqual([...tl.doneSteps], [1]);
  });

  test("while paused a jump moves the paused position and stays paused", () => {
    const { clock, tl } = started();
    clock.advance(6_000);
    tl.pause();
    assert.equal(tl.jumpTo(tl.skipTarget()), 2);
    clock.advance(5_000);
    assert.equal(tl.status, "paused");
    assert.equal(tl.position(), 15_000);
    assert.equal(tl.jumpTo(tl.backTarget()), 1); // 0 s into the rest: the step before
    assert.equal(tl.position(), 5_000);
  });

  test("skipping the last step ends the routine without counting it", () => {
    const { clock, tl } = started();
    clock.advance(21_000);
    tl.tick();
    tl.pause();
    clock.advance(50_000); // paused time is not exercise time
    assert.equal(tl.jumpTo(tl.skipTarget()), -1);
    assert.equal(tl.status, "done");
    assert.deepEqual([...tl.doneSteps], [1]);
    assert.equal(tl.activeMs(), 21_000);
    assert.equal(tl.lastIndex, 3);
  });
});

describe("stop for pain", () => {
  test("before Start: a stopped run with nothing done", () => {
    const tl = new Timeline(STEPS, { now: () => 42 });
    assert.equal(tl.stop(), true);
    assert.equal(tl.status, "stopped");
    assert.equal(tl.lastIndex, 0);
    assert.equal(tl.activeMs(), 0);
    assert.equal(tl.stop(), false);
  });

  test("while running: keeps the time exercised; after the end: nothing to stop", () => {
    const { clock, tl } = started();
    clock.advance(7_000);
    tl.tick();
    assert.equal(tl.stop(), true);
    clock.advance(10_000);
    assert.equal(tl.activeMs(), 7_000);
    assert.equal(tl.position(), 7_000);
    const done = started().tl;
    done.finish(done.startAt + TOTAL, true);
    assert.equal(done.stop(), false);
    assert.equal(done.status, "done");
  });

  test("start again after a stop begins a fresh run", () => {
    const { clock, tl } = started();
    clock.advance(16_000);
    tl.tick();
    tl.stop();
    clock.advance(1_000);
    tl.start();
    assert.equal(tl.status, "running");
    assert.equal(tl.position(), 0);
    assert.equal(tl.doneSteps.size, 0);
    assert.equal(tl.lastIndex, -1);
    assert.equal(tl.activeMs(), 0);
  });
});

describe("beep schedule", () => {
  const at = (plan) => plan.map((b) => b.at);
  const ofTone = (plan, tone) => plan.filter((b) => b.freq === tone.freq).map((b) => b.at);

  test("from the start: 3-2-1 before each step ends, go into work, over into rest, a tune at the end", () => {
    const plan = beepPlan(STEPS, 0);
    assert.deepEqual(ofTone(plan, TONES.count), [2_000, 3_000, 4_000, 12_000, 13_000, 14_000, 17_000, 18_000,
      19_000, 26_000, 27_000, 28_000]);
    assert.deepEqual(ofTone(plan, TONES.go), [5_000, 20_000]); // into the hold, into the reps
    assert.deepEqual(ofTone(plan, TONES.over), [15_000]); // the hold ends, a rest follows
    assert.deepEqual(plan.slice(-3).map((b) => [b.at, b.freq]), [[29_000, 784], [29_200, 988], [29_400, 1319]]);
    const sorted = [...at(plan)].sort((a, b) => a - b);
    assert.deepEqual(at(plan), sorted);
  });

  test("tempo adds one tick per new rep, none in a step's last 3.5 s", () => {
    assert.deepEqual(ofTone(beepPlan(STEPS, 0), TONES.tempo), []);
    // reps 20–29 s, 3 s per rep: rep 2 at 23 s; rep 3 at 26 s is inside the final count
    assert.deepEqual(ofTone(beepPlan(STEPS, 0, { tempo: true }), TONES.tempo), [23_000]);
  });

  test(`only what is still to come, at least ${BEEP_LEAD_MS} ms ahead`, () => {
    assert.deepEqual(at(beepPlan(STEPS, 13_500)).slice(0, 3), [14_000, 15_000, 17_000]);
    assert.equal(at(beepPlan(STEPS, 14_000 - BEEP_LEAD_MS))[0], 14_000);
    assert.equal(at(beepPlan(STEPS, 14_000 - BEEP_LEAD_MS + 1))[0], 15_000);
    // the end tune goes whole or not at all
    assert.deepEqual(at(beepPlan(STEPS, 29_000 - BEEP_LEAD_MS)), [29_000, 29_200, 29_400]);
    assert.deepEqual(at(beepPlan(STEPS, 29_000 - BEEP_LEAD_MS + 1)), []);
    assert.deepEqual(beepPlan(STEPS, 30_000), []);
  });

  test("a short step gets only the count that fits inside it", () => {
    const steps = [step("switch", 0, 2), step("hold", 2, 5)];
    assert.deepEqual(ofTone(beepPlan(steps, 0), TONES.count), [1_000, 4_000, 5_000, 6_000]);
  });

  test("after catching up from a hidden tab, the plan starts from the new position", () => {
    const { clock, tl } = started();
    clock.advance(22_000);
    const { pos } = tl.tick();
    const plan = beepPlan(STEPS, pos);
    assert.ok(plan.every((b) => b.at >= pos + BEEP_LEAD_MS));
    assert.equal(plan[0].at, 26_000);
  });
});

describe("repAt", () => {
  const reps = STEPS[3];
  test("rep and beat count from 1 and stop at the last rep", () => {
    assert.deepEqual(repAt(reps, 0), { rep: 1, beat: 1 });
    assert.deepEqual(repAt(reps, 2_999), { rep: 1, beat: 3 });
    assert.deepEqual(repAt(reps, 3_000), { rep: 2, beat: 1 });
    assert.deepEqual(repAt(reps, 8_999), { rep: 3, beat: 3 });
    assert.deepEqual(repAt(reps, 20_000), { rep: 3, beat: 3 });
    assert.deepEqual(repAt(reps, -50), { rep: 1, beat: 1 });
  });
});
