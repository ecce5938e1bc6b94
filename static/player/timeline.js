// The routine player's timing, with no DOM, audio or speech: an ES module that node --test imports as is
// (tests/js/timeline.test.mjs) and that ui/player/__init__.py inlines ahead of player.js, because
// st.components.v2 loads inline JS from a Blob URL, where a relative import cannot resolve.
//
// Time: one start time and the plan's step boundaries. The position in the routine is
// `now() - startAt` (frozen while paused); the step on screen is the one whose [start, end) holds that
// position. Nothing counts ticks, so nothing can drift, and after a hidden tab the first tick catches up
// at once (every step passed meanwhile counts as done). Pause, skip and back move `startAt` (or the
// paused position); they never touch the boundaries.
//
// The clock is injected: `now()` returns milliseconds on any monotonic-enough scale (the player passes
// Date.now, wall time, because performance.now() stops while a device sleeps; tests pass a fake). Every
// method that needs the time takes an optional `now` so a caller can use one reading for a whole action.
// The player calls tick() again on visibilitychange/pageshow, so a phone unlocked mid-hold is on the
// right step at once. Nothing here assumes which clock it is: only differences of now() readings count.

export const WORK_KINDS = new Set(["hold", "reps"]);
export const BACK_RESTART_MS = 2000; // "back" within the first 2 s of a step goes to the step before
export const BEEP_LEAD_MS = 20; // a beep due sooner than this is not scheduled (it would sound late)
export const TIMER_SLACK_MS = 5; // the boundary timer fires just after the boundary, never just before

export const TONES = {
  count: { freq: 660, dur: 0.09, vol: 0.3 }, // 3, 2, 1 before a step ends
  go: { freq: 990, dur: 0.35, vol: 0.4 }, // a hold or a run of reps starts
  over: { freq: 880, dur: 0.25, vol: 0.35 }, // a step ends and a rest or get-ready follows
  tempo: { freq: 523, dur: 0.05, vol: 0.2 }, // each new rep, with the tempo count on
  end: [
    { offset: 0, freq: 784, dur: 0.18, vol: 0.35 },
    { offset: 200, freq: 988, dur: 0.18, vol: 0.35 },
    { offset: 400, freq: 1319, dur: 0.4, vol: 0.35 },
  ],
};

/** "m:ss" for a duration in ms, rounded up to the whole second (so 0:01 shows until the very end). */
export function clockText(ms) {
  const s = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

/** Index of the first step whose end is after `pos` (binary search; `endsMs` increases). Past the end: the last step. */
export function indexAt(endsMs, pos) {
  let lo = 0;
  let hi = endsMs.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (endsMs[mid] > pos) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Rep number (1-based, at most `step.reps`) and tempo beat (1..seconds_per_rep) `intoMs` into a reps step. */
export function repAt(step, intoMs) {
  const per = Math.max(1, step.seconds_per_rep) * 1000;
  const into = Math.max(0, intoMs);
  return {
    rep: Math.min(step.reps, Math.floor(into / per) + 1),
    beat: Math.min(step.seconds_per_rep, Math.floor((into % per) / 1000) + 1),
  };
}

/**
 * Every beep still to come from plan position `pos` (ms), in plan time: [{at, freq, dur, vol}], `at` in
 * ms from the routine's start, `dur` in seconds. A 3-2-1 count before each step ends (only within the
 * step), then "go" into a hold or reps, "over" into anything else, a three-note tune at the very end, and
 * with `tempo` one tick per new rep (not in a step's last 3.5 s, where the count takes over). Beeps due
 * less than BEEP_LEAD_MS from `pos` are left out.
 */
export function beepPlan(steps, pos, { tempo = false } = {}) {
  const out = [];
  const add = (at, tone) => out.push({ at, freq: tone.freq, dur: tone.dur, vol: tone.vol });
  const endsMs = steps.map((s) => (s.start + s.seconds) * 1000);
  const minAhead = pos + BEEP_LEAD_MS;
  for (let j = indexAt(endsMs, pos); j < steps.length; j++) {
    const start = steps[j].start * 1000;
    const end = endsMs[j];
    for (const k of [3, 2, 1]) {
      const t = end - k * 1000;
      if (t > start && t >= minAhead) add(t, TONES.count);
    }
    if (end >= minAhead) {
      if (j === steps.length - 1) {
        for (const note of TONES.end) add(end + note.offset, note);
      } else if (WORK_KINDS.has(steps[j + 1].kind)) {
        add(end, TONES.go);
      } else {
        add(end, TONES.over);
      }
    }
    const s = steps[j];
    if (tempo && s.kind === "reps") {
      const per = Math.max(1, s.seconds_per_rep) * 1000;
      for (let r = 1; r < s.reps; r++) {
        const t = start + r * per;
        if (t < end - 3500 && t >= minAhead) add(t, TONES.tempo);
      }
    }
  }
  return out;
}

/**
 * One run through a plan. `steps`: [{start, seconds, kind, ...}] in seconds, back to back, as
 * hipknee.routines.Step.as_dict gives them. `now`: the injected clock (ms).
 *
 * status: "idle" → start() → "running" ⇄ pause()/resume() "paused" → "done" (finish: the end reached or
 * the last step skipped) or "stopped" (stop(): "this hurts"). `lastIndex` is the step on screen (-1
 * before the first); `doneSteps` the indices of holds and rep runs finished by time passing (a skipped
 * step is not done). Active time counts running time only.
 */
export class Timeline {
  constructor(steps, { now = () => performance.now() } = {}) {
    if (!Array.isArray(steps) || steps.length === 0) throw new Error("a timeline needs at least one step");
    this.now = now;
    this.steps = steps;
    this.startsMs = steps.map((s) => s.start * 1000);
    this.endsMs = steps.map((s) => (s.start + s.seconds) * 1000);
    this.totalMs = this.endsMs[this.endsMs.length - 1];
    this.workCount = steps.filter((s) => WORK_KINDS.has(s.kind)).length;
    this.reset();
  }

  reset() {
    this.status = "idle";
    this.startAt = 0;
    this.pausedPos = 0;
    this.activeAcc = 0;
    this.activeSince = 0;
    this.lastIndex = -1;
    this.doneSteps = new Set();
  }

  get active() {
    return this.status === "running" || this.status === "paused";
  }

  /** Position in the routine (ms from its start) at `now`. */
  position(now = this.now()) {
    if (this.status === "running") return now - this.startAt;
    if (this.status === "done") return this.totalMs;
    return this.pausedPos;
  }

  indexAt(pos) {
    return indexAt(this.endsMs, pos);
  }

  /** Milliseconds spent running (pauses left out) up to `now`. */
  activeMs(now = this.now()) {
    return this.activeAcc + (this.status === "running" ? now - this.activeSince : 0);
  }

  /** How long until just after the boundary that ends the step at `pos` (for a wake-up timer). */
  msToNextBoundary(pos) {
    return Math.max(0, this.endsMs[this.indexAt(pos)] - pos) + TIMER_SLACK_MS;
  }

  start(now = this.now()) {
    this.reset();
    this.status = "running";
    this.startAt = now;
    this.activeSince = now;
  }

  pause(now = this.now()) {
    if (this.status !== "running") return false;
    this.pausedPos = now - this.startAt;
    this.activeAcc += now - this.activeSince;
    this.status = "paused";
    return true;
  }

  resume(now = this.now()) {
    if (this.status !== "paused") return false;
    this.startAt = now - this.pausedPos;
    this.activeSince = now;
    this.status = "running";
    return true;
  }

  /** Where "skip" goes: the end of the current step (the routine's end when on the last step). */
  skipTarget(now = this.now()) {
    return this.endsMs[this.indexAt(this.position(now))];
  }

  /** Where "back" goes: the start of the current step, or of the one before within its first 2 s. */
  backTarget(now = this.now()) {
    const pos = this.position(now);
    const i = this.indexAt(pos);
    return pos - this.startsMs[i] > BACK_RESTART_MS || i === 0 ? this.startsMs[i] : this.startsMs[i - 1];
  }

  /**
   * Move to plan position `target` (from skip or back). Returns the step index to enter, or -1 when the
   * target is the end: then the routine is finished, the skipped step not counting as done.
   */
  jumpTo(target, now = this.now()) {
    if (!this.active) return this.lastIndex;
    if (target >= this.totalMs) {
      if (this.status === "paused") this.resume(now);
      this.finish(now, false);
      return -1;
    }
    if (this.status === "running") this.startAt = now - target;
    else this.pausedPos = target;
    return this.indexAt(target);
  }

  /** The step `i` is now on screen. */
  enter(i) {
    this.lastIndex = i;
  }

  markDone(j) {
    if (WORK_KINDS.has(this.steps[j].kind)) this.doneSteps.add(j);
  }

  /**
   * End the routine at clock time `endAt`. `natural`: time ran out, so every step from the one on screen
   * to the last was done; otherwise (the last step skipped) nothing more counts.
   */
  finish(endAt, natural) {
    if (natural) for (let j = Math.max(0, this.lastIndex); j < this.steps.length; j++) this.markDone(j);
    this.activeAcc = this.activeMs(endAt);
    this.status = "done";
    this.lastIndex = this.steps.length - 1;
  }

  /** "Stop — this hurts": false if already over. Stopping before Start counts as a run with nothing done. */
  stop(now = this.now()) {
    if (this.status === "stopped" || this.status === "done") return false;
    if (this.status === "idle") {
      this.activeAcc = 0;
      this.lastIndex = 0;
    } else if (this.status === "running") {
      this.pausedPos = now - this.startAt;
      this.activeAcc += now - this.activeSince;
    }
    this.status = "stopped";
    return true;
  }

  /**
   * Catch up with the clock (each animation frame, boundary timer, or return to a hidden tab). Returns
   * what changed: {finished: true} when time ran out (finished at the exact planned end, not at `now`);
   * otherwise {pos, index, entered, newlyDone}: `entered` when time carried the run into another step
   * (perhaps through several while the tab was hidden; all passed steps count as done, and `newlyDone`
   * says how many holds or rep runs that added). Nothing changes unless running.
   */
  tick(now = this.now()) {
    if (this.status === "running" && now - this.startAt >= this.totalMs) {
      this.finish(this.startAt + this.totalMs, true);
      return { finished: true, pos: this.totalMs, index: this.lastIndex, entered: false, newlyDone: 0 };
    }
    const pos = this.position(now);
    const index = this.indexAt(pos);
    let entered = false;
    let newlyDone = 0;
    if (this.status === "running" && index !== this.lastIndex) {
      const before = this.doneSteps.size;
      for (let j = Math.max(0, this.lastIndex); j < index; j++) this.markDone(j);
      newlyDone = this.doneSteps.size - before;
      this.enter(index);
      entered = true;
    }
    return { finished: false, pos, index, entered, newlyDone };
  }
}
