// The routine player (st.components.v2). Python passes the whole plan once in `data`; this file runs it.
//
// The timing (position, step at a time, skip/back targets, catch-up, beep plan) is the pure module
// timeline.js, unit-tested under node; this file is the DOM, sound, voice and wake lock around it.
// requestAnimationFrame only paints; a timer per boundary keeps steps ending while rAF sleeps.
// The clock is wall time (Date.now): performance.now() stops while a phone or laptop sleeps, so a phone
// locked mid-hold would come back on the old step. On visibilitychange and pageshow the player repaints
// from the clock at once, so it is on the right step and time the moment the screen is back.
// Both are served as files from static/player/ (see ui/player/__init__.py); timeline.js is imported with
// this module's own ?v= version, so a browser never pairs a new player.js with a cached old timeline.js.
//
// Streamlit calls the default export again whenever `data` changes and runs the returned cleanup only
// on unmount, so the running player lives on the root element and every call reuses it (one loop, one
// key listener, one audio context). Python hears from us only at boundaries (Start, each finished hold
// or run of reps, skip/back, the end, a stop): setStateValue("progress", {...}) with the run id, status
// and counts.

const { Timeline, WORK_KINDS, beepPlan, clockText, repAt } = await import(
  new URL(`./timeline.js${new URL(import.meta.url).search}`, import.meta.url).href
);

const PREFS_KEY = "hipknee.player.prefs";
const DEFAULT_PREFS = { sound: true, voice: true, tempo: false };
const VOICE_WAIT_MS = 3000; // how long to wait for speech voices to load before saying there are none
const WORK = WORK_KINDS;
const clock = clockText;

function loadPrefs() {
  try {
    return { ...DEFAULT_PREFS, ...JSON.parse(window.localStorage.getItem(PREFS_KEY) || "{}") };
  } catch (e) {
    return { ...DEFAULT_PREFS };
  }
}

function savePrefs(prefs) {
  try {
    window.localStorage.setItem(PREFS_KEY, JSON.stringify(prefs));
  } catch (e) {
    /* private mode: the choice lasts for this page only */
  }
}

function newRunId() {
  if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID();
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}

function sideText(step) {
  // hipknee.routines.side_label: which leg works ("Left leg works · lying on your right side")
  if (step.side_label !== undefined) return step.side_label || "";
  return step.side ? `${step.side[0].toUpperCase()}${step.side.slice(1)} leg works` : "";
}

/** Are there speech voices? Resolves true/false: at once when getVoices() has some, else after the first
 * voiceschanged that brings some, or false after `waitMs` (Chrome loads them late; some devices have none). */
export function voiceAvailable(synth, {
  waitMs = VOICE_WAIT_MS,
  canSpeak = typeof globalThis.SpeechSynthesisUtterance === "function",
  timers = globalThis,
} = {}) {
  const has = () => {
    try {
      return synth.getVoices().length > 0;
    } catch (e) {
      return false;
    }
  };
  if (!synth || !canSpeak || typeof synth.getVoices !== "function") {
    return Promise.resolve(false);
  }
  if (has()) return Promise.resolve(true);
  return new Promise((resolve) => {
    let timer = 0;
    const done = (ok) => {
      timers.clearTimeout(timer);
      if (synth.removeEventListener) synth.removeEventListener("voiceschanged", changed);
      resolve(ok);
    };
    const changed = () => { if (has()) done(true); };
    if (synth.addEventListener) synth.addEventListener("voiceschanged", changed);
    timer = timers.setTimeout(() => done(has()), waitMs);
  });
}

export class Player {
  constructor(root, { now = () => Date.now(), voiceWaitMs = VOICE_WAIT_MS } = {}) {
    this.root = root;
    this.now = now; // the clock (ms): wall time, which keeps going while the device sleeps; see timeline.js
    this.destroyed = false;
    this.$ = (sel) => root.querySelector(sel);
    this.el = {
      phase: this.$(".hk-phase"), stepinfo: this.$(".hk-stepinfo"), figure: this.$(".hk-figure"),
      name: this.$(".hk-name"), side: this.$(".hk-side"), count: this.$(".hk-count"),
      reps: this.$(".hk-reps"), rep: this.$(".hk-rep"), repTotal: this.$(".hk-rep-total"),
      tempo: this.$(".hk-tempo"), cue: this.$(".hk-cue"), barStep: this.$(".hk-bar-step"),
      barAll: this.$(".hk-bar-all"), doneTime: this.$(".hk-done-time"), leftTime: this.$(".hk-left-time"),
      next: this.$(".hk-next"), go: this.$(".hk-go"), back: this.$(".hk-back"), skip: this.$(".hk-skip"),
      stop: this.$(".hk-stop"), wake: this.$(".hk-wake"), live: this.$(".hk-live"),
      optSound: this.$(".hk-opt-sound"), optVoice: this.$(".hk-opt-voice"), optTempo: this.$(".hk-opt-tempo"),
      move: this.$(".hk-move"), voiceNote: this.$(".hk-voice-note"),
    };
    this.prefs = loadPrefs();
    this.el.optSound.checked = !!this.prefs.sound;
    this.el.optVoice.checked = !!this.prefs.voice;
    this.el.optTempo.checked = !!this.prefs.tempo;
    this.voiceOk = null; // null: not known yet; false: no voice on this device (say() stays quiet)
    this.root.dataset.voice = "checking";
    voiceAvailable(window.speechSynthesis, { waitMs: voiceWaitMs }).then((ok) => this.setVoiceAvailable(ok));
    this.tl = null; // the Timeline of the loaded plan
    this.data = null;
    this.pending = null;
    this.raf = 0;
    this.timer = 0;
    this.ctx = null;
    this.master = null;
    this.analyser = null;
    this.scheduled = [];
    this.wake = null;
    this.lastSent = "";
    this.textCache = new Map();

    this.onKey = (e) => this.handleKey(e);
    this.onVisible = () => this.handleVisibility();
    window.addEventListener("keydown", this.onKey);
    document.addEventListener("visibilitychange", this.onVisible);
    window.addEventListener("pageshow", this.onVisible); // back from the back-forward cache
    this.el.go.addEventListener("click", () => this.primary());
    // Creating an AudioContext takes tens of milliseconds: do it as the finger or mouse goes down (a
    // user gesture too), so the click itself only starts the clock and paints.
    const warm = () => { if (this.prefs.sound && this.status !== "running") this.ensureAudio(); };
    this.el.go.addEventListener("pointerdown", warm);
    this.el.go.addEventListener("keydown", (e) => { if (e.key === " " || e.key === "Enter") warm(); });
    this.el.back.addEventListener("click", () => this.back());
    this.el.skip.addEventListener("click", () => this.skip());
    this.el.stop.addEventListener("click", () => this.stopForPain());
    this.el.optSound.addEventListener("change", () => {
      this.prefs.sound = this.el.optSound.checked;
      savePrefs(this.prefs);
      if (this.prefs.sound && this.status === "running") this.ensureAudio();
      this.scheduleBeeps();
    });
    this.el.optVoice.addEventListener("change", () => {
      this.prefs.voice = this.el.optVoice.checked;
      savePrefs(this.prefs);
      if (!this.prefs.voice && window.speechSynthesis) window.speechSynthesis.cancel();
    });
    this.el.optTempo.addEventListener("change", () => {
      this.prefs.tempo = this.el.optTempo.checked;
      savePrefs(this.prefs);
      this.scheduleBeeps();
      this.frame();
    });
  }

  get status() {
    return this.tl ? this.tl.status : "idle";
  }

  // ---- wiring ----------------------------------------------------------------------------------

  connect({ data, setStateValue, setTriggerValue }) {
    this.setStateValue = setStateValue;
    this.setTriggerValue = setTriggerValue;
    if (!data || !Array.isArray(data.steps) || data.steps.length === 0) return;
    const active = this.status === "running" || this.status === "paused";
    if (this.data && data.plan_id === this.data.plan_id) {
      this.data = data; // same routine: keep running
      this.pending = null;
    } else if (active) {
      this.pending = data; // never swap the routine under someone mid-stretch
    } else {
      this.load(data);
    }
  }

  maybeDestroy() {
    // Streamlit may call this for a superseded call as well as on unmount: only a detached root is gone.
    setTimeout(() => {
      if (!this.root.isConnected) this.destroy();
    }, 0);
  }

  destroy() {
    if (this.destroyed) return;
    this.destroyed = true;
    cancelAnimationFrame(this.raf);
    clearTimeout(this.timer);
    window.removeEventListener("keydown", this.onKey);
    document.removeEventListener("visibilitychange", this.onVisible);
    window.removeEventListener("pageshow", this.onVisible);
    this.cancelBeeps();
    if (window.speechSynthesis && this.status === "running") window.speechSynthesis.cancel();
    this.releaseWake();
    if (this.ctx) this.ctx.close().catch(() => {});
    if (this.root.__hkPlayer === this) this.root.__hkPlayer = null;
  }

  load(data) {
    this.data = data;
    this.pending = null;
    const steps = data.steps;
    this.tl = new Timeline(steps, { now: this.now });
    this.startsMs = this.tl.startsMs;
    this.endsMs = this.tl.endsMs;
    this.totalMs = this.tl.totalMs;
    this.workCount = this.tl.workCount;
    const order = [];
    for (const s of steps) if (!order.includes(s.exercise_id)) order.push(s.exercise_id);
    this.exerciseOrder = order;
    this.runId = null;
    this.cancelBeeps();
    clearTimeout(this.timer);
    this.showStep(0);
    this.renderIdle();
    this.el.go.disabled = false;
    this.root.dataset.ready = "1";
  }

  // ---- the clock (timeline.js does the sums) ----------------------------------------------------

  get lastIndex() {
    return this.tl ? this.tl.lastIndex : -1;
  }

  get doneSteps() {
    return this.tl.doneSteps;
  }

  ensureLoop() {
    if (this.raf || this.destroyed) return;
    const loop = () => {
      this.raf = 0;
      if (this.destroyed) return;
      this.frame();
      if (this.status === "running") this.raf = requestAnimationFrame(loop);
    };
    this.raf = requestAnimationFrame(loop);
  }

  armTimer(now, pos) {
    // A timer for the next boundary, so steps still end (and Python still hears) while rAF sleeps in
    // a hidden tab. The browser may run it late there; the clock itself does not depend on it.
    clearTimeout(this.timer);
    if (this.status !== "running") return;
    this.timer = setTimeout(() => this.frame(), this.tl.msToNextBoundary(pos));
  }

  frame() {
    if (this.destroyed || !this.data) return;
    if (!this.root.isConnected) {
      this.destroy();
      return;
    }
    const now = this.now();
    const t = this.tl.tick(now);
    if (t.finished) {
      this.finished(true, this.tl.startAt + this.totalMs); // at the planned end, however late we look
      return;
    }
    if (t.entered) {
      // Time carried us forward (perhaps through several steps while hidden): they all finished.
      // Python hears about it when an exercise step (a hold or a run of reps) has been done.
      this.enterStep(t.index, now);
      if (t.newlyDone) this.report("in_progress", now);
    }
    this.paint(t.pos, t.index);
  }

  enterStep(i, now) {
    this.tl.enter(i);
    this.showStep(i);
    const step = this.data.steps[i];
    this.say(step.say);
    this.el.live.textContent = step.say;
    this.armTimer(now, this.tl.position(now));
    this.resyncBeeps();
  }

  resyncBeeps() {
    // The audio clock and performance.now() tick from different crystals: re-plan the beeps when they
    // have drifted apart by more than 15 ms (checked once per step).
    if (this.status !== "running" || !this.ctx || !this.ctx.getOutputTimestamp || this.audioOffset === undefined) return;
    const ts = this.ctx.getOutputTimestamp();
    if (!ts || !(ts.performanceTime > 0)) return;
    if (Math.abs(ts.contextTime - ts.performanceTime / 1000 - this.audioOffset) > 0.015) this.scheduleBeeps();
  }

  // ---- actions ---------------------------------------------------------------------------------

  primary() {
    if (this.status === "idle" || this.status === "done" || this.status === "stopped") this.start();
    else if (this.status === "running") this.pause();
    else if (this.status === "paused") this.resume();
  }

  start() {
    if (this.pending) this.load(this.pending);
    else if (this.status !== "idle") this.load(this.data);
    const now = this.now();
    this.ensureAudio(); // inside the click: browsers only allow sound after a gesture
    this.runId = newRunId();
    this.tl.start(now);
    this.requestWake();
    this.enterStep(0, now);
    this.scheduleBeeps(now);
    this.renderControls();
    this.report("in_progress", now);
    this.paint(0, 0);
    this.ensureLoop();
    this.scrollIntoView();
  }

  scrollIntoView() {
    // Phase, time, exercise and Stop in view: the player's top just below Streamlit's header (the CSS
    // scroll-margin-top), unless it is all on screen already.
    const box = this.root.getBoundingClientRect();
    const margin = parseFloat(getComputedStyle(this.root).scrollMarginTop) || 0;
    if (box.top >= margin && box.bottom <= window.innerHeight) return;
    const still = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    this.root.scrollIntoView({ block: "start", behavior: still ? "auto" : "smooth" });
  }

  pause() {
    if (!this.tl || !this.tl.pause(this.now())) return;
    clearTimeout(this.timer);
    this.cancelBeeps();
    if (window.speechSynthesis) window.speechSynthesis.cancel();
    this.el.live.textContent = "Paused";
    this.renderControls();
    this.paint(this.tl.pausedPos, this.lastIndex);
  }

  resume() {
    if (this.status !== "paused") return;
    this.ensureAudio();
    const now = this.now();
    this.tl.resume(now);
    this.requestWake();
    this.armTimer(now, this.tl.pausedPos);
    this.scheduleBeeps(now);
    this.el.live.textContent = "Resumed";
    this.renderControls();
    this.ensureLoop();
  }

  toggle() {
    if (this.status === "running") this.pause();
    else if (this.status === "paused") this.resume();
  }

  skip() {
    if (this.status !== "running" && this.status !== "paused") return;
    const now = this.now();
    this.jumpTo(this.tl.skipTarget(now), now);
  }

  back() {
    if (this.status !== "running" && this.status !== "paused") return;
    const now = this.now();
    this.jumpTo(this.tl.backTarget(now), now);
  }

  jumpTo(target, now) {
    const i = this.tl.jumpTo(target, now);
    if (i < 0) {
      // skipping the last step ends the routine; the skipped step does not count as done
      this.finished(false, now);
      return;
    }
    this.enterStep(i, now);
    this.scheduleBeeps(now);
    this.report("in_progress", now);
    this.paint(target, i);
  }

  finished(natural, endAt) {
    // The timeline has just ended the run: time ran out (`natural`) or the last step was skipped.
    clearTimeout(this.timer);
    if (!natural) this.cancelBeeps();
    this.releaseWake();
    this.say("Routine complete. Well done.");
    this.el.live.textContent = "Routine complete";
    this.report("completed", endAt);
    this.renderEnd();
  }

  stopForPain() {
    if (!this.tl || this.status === "stopped" || this.status === "done") return;
    const now = this.now();
    // Stopped before playing: still a stopped session, with nothing done.
    if (this.status === "idle") this.runId = newRunId();
    this.tl.stop(now);
    clearTimeout(this.timer);
    this.cancelBeeps();
    if (window.speechSynthesis) window.speechSynthesis.cancel();
    this.releaseWake();
    this.el.live.textContent = "Stopped";
    this.report("stopped", now);
    this.renderEnd();
  }

  // ---- reporting to Python ---------------------------------------------------------------------

  report(status, now) {
    if (!this.setStateValue || !this.runId) return;
    const progress = {
      run: this.runId,
      plan_id: this.data.plan_id,
      status,
      step_index: Math.max(0, this.lastIndex),
      steps_done: this.doneSteps.size,
      steps_planned: this.workCount,
      seconds_done: Math.round(this.tl.activeMs(now) / 1000),
      seconds_planned: Math.round(this.totalMs / 1000),
    };
    const key = JSON.stringify(progress);
    if (key === this.lastSent) return;
    this.lastSent = key;
    this.root.dataset.reported = status;
    this.setStateValue("progress", { ...progress, sent_at: Date.now() });
  }

  // ---- drawing ---------------------------------------------------------------------------------

  setText(el, text) {
    if (this.textCache.get(el) !== text) {
      this.textCache.set(el, text);
      el.textContent = text;
    }
  }

  nextUp(i) {
    const steps = this.data.steps;
    const cur = steps[i];
    for (let j = i + 1; j < steps.length; j++) {
      const s = steps[j];
      if (!WORK.has(s.kind)) continue;
      if (!WORK.has(cur.kind) && j === i + 1) continue; // that is this step's own hold
      const bits = [s.name];
      if (s.side) bits.push(`${s.side} leg`);
      if (s.sets > 1) bits.push(`set ${s.set_number} of ${s.sets}`);
      return `Next up: ${bits.join(", ")}`;
    }
    return "Next up: the end — well done";
  }

  showStep(i) {
    const s = this.data.steps[i];
    const pic = this.data.svgs[`${s.exercise_id}:${s.side || "left"}`] || "";
    if (this.figureKey !== `${s.exercise_id}:${s.side}`) {
      this.figureKey = `${s.exercise_id}:${s.side}`;
      this.el.figure.innerHTML = pic;
    }
    this.root.dataset.kind = s.kind;
    this.root.dataset.step = String(i);
    this.setText(this.el.phase, this.status === "paused" ? "Paused" : s.title);
    const n = this.exerciseOrder.indexOf(s.exercise_id) + 1;
    let info = `Exercise ${n} of ${this.exerciseOrder.length}`;
    if (s.sets > 1) info += ` · set ${s.set_number} of ${s.sets}`;
    this.setText(this.el.stepinfo, info);
    this.setText(this.el.name, s.name);
    this.setText(this.el.side, sideText(s));
    // "Next: lie on your right side" while there is time to move (the get-ready or switch before it)
    const move = !WORK.has(s.kind) && s.move_to ? `Next: ${s.move_to}` : "";
    this.el.move.hidden = !move;
    this.setText(this.el.move, move);
    this.setText(this.el.cue, s.kind === "rest" ? "Breathe and let the muscles settle." : s.cue);
    this.setText(this.el.next, this.nextUp(i));
    const isReps = s.kind === "reps";
    this.el.reps.hidden = !isReps;
    if (isReps) this.setText(this.el.repTotal, String(s.reps));
  }

  paint(pos, i) {
    const s = this.data.steps[i];
    const remaining = this.endsMs[i] - pos;
    this.setText(this.el.count, clock(remaining));
    const stepFrac = Math.min(1, Math.max(0, (pos - this.startsMs[i]) / (this.endsMs[i] - this.startsMs[i])));
    const allFrac = Math.min(1, Math.max(0, pos / this.totalMs));
    this.el.barStep.firstElementChild.style.transform = `scaleX(${stepFrac})`;
    this.el.barAll.firstElementChild.style.transform = `scaleX(${allFrac})`;
    this.el.barStep.setAttribute("aria-valuenow", String(Math.round(stepFrac * 100)));
    this.el.barAll.setAttribute("aria-valuenow", String(Math.round(allFrac * 100)));
    this.setText(this.el.doneTime, `${clock(pos)} done`);
    this.setText(this.el.leftTime, `${clock(this.totalMs - pos)} left`);
    if (s.kind === "reps") {
      const { rep, beat } = repAt(s, pos - this.startsMs[i]);
      if (String(rep) !== this.textCache.get(this.el.rep)) {
        if (this.textCache.has(this.el.rep) && this.status === "running" && this.prefs.tempo && rep > 1) {
          this.say(String(rep));
        }
        this.setText(this.el.rep, String(rep));
      }
      this.el.tempo.hidden = !this.prefs.tempo;
      if (this.prefs.tempo) {
        this.setText(this.el.tempo, `count ${beat} of ${s.seconds_per_rep}`);
      }
    }
  }

  renderControls() {
    const st = this.status;
    this.root.dataset.status = st;
    const label = { idle: "Start", running: "Pause", paused: "Resume", done: "Start again", stopped: "Start again" }[st];
    this.setText(this.el.go, label);
    const active = st === "running" || st === "paused";
    this.el.back.disabled = !active;
    this.el.skip.disabled = !active;
    this.el.stop.disabled = st === "stopped" || st === "done";
    if (active && this.data) {
      const step = this.data.steps[Math.max(0, this.lastIndex)];
      this.setText(this.el.phase, st === "paused" ? "Paused" : step.title);
    }
  }

  renderIdle() {
    this.renderControls();
    this.setText(this.el.phase, "Ready");
    this.setText(this.el.count, clock(this.totalMs));
    this.setText(
      this.el.cue,
      "Press Start when you are in place. A 5-second count comes before every hold " +
        "(10 seconds when you need to change position).",
    );
    this.setText(this.el.doneTime, "0:00 done");
    this.setText(this.el.leftTime, `${clock(this.totalMs)} in all`);
    this.el.reps.hidden = true;
    this.el.move.hidden = true;
    this.el.barStep.firstElementChild.style.transform = "scaleX(0)";
    this.el.barAll.firstElementChild.style.transform = "scaleX(0)";
  }

  renderEnd() {
    this.renderControls();
    const done = this.status === "done";
    const now = this.now();
    this.setText(this.el.phase, done ? "Routine complete" : "Stopped");
    this.setText(this.el.name, done ? "Well done!" : "You stopped the routine");
    this.setText(this.el.side, "");
    this.setText(this.el.stepinfo, "");
    this.setText(
      this.el.cue,
      done ? "Rate how your knee felt during the routine below." : "Good call. Tell us how bad it is below.",
    );
    this.setText(this.el.next, "");
    this.el.reps.hidden = true;
    this.el.move.hidden = true;
    if (done) {
      this.setText(this.el.count, "0:00");
      this.el.barStep.firstElementChild.style.transform = "scaleX(1)";
      this.el.barAll.firstElementChild.style.transform = "scaleX(1)";
      this.setText(this.el.doneTime, `${clock(this.tl.activeMs(now))} exercising`);
      this.setText(this.el.leftTime, `${this.doneSteps.size} of ${this.workCount} steps done`);
    }
  }

  // ---- sound -----------------------------------------------------------------------------------

  ensureAudio() {
    const AC = window.AudioContext || window.webkitAudioContext;
    if (!AC) return null;
    try {
      if (!this.ctx) {
        this.ctx = new AC();
        this.master = this.ctx.createGain();
        this.master.gain.value = 0.9;
        this.analyser = this.ctx.createAnalyser(); // lets a test hear what was played
        this.analyser.fftSize = 2048;
        this.master.connect(this.analyser);
        this.master.connect(this.ctx.destination);
        this.ctx.onstatechange = () => {
          this.root.dataset.audio = this.ctx ? this.ctx.state : "closed";
          if (this.ctx && this.ctx.state === "running" && this.status === "running") this.scheduleBeeps();
        };
      }
      if (this.ctx.state === "suspended") this.ctx.resume().catch(() => {});
    } catch (e) {
      this.ctx = null;
    }
    this.root.dataset.audio = this.ctx ? this.ctx.state : "unavailable";
    return this.ctx;
  }

  cancelBeeps() {
    for (const node of this.scheduled) {
      try {
        node.gain.disconnect();
        node.osc.stop(0);
      } catch (e) {
        /* already finished */
      }
    }
    this.scheduled = [];
  }

  tone(when, freq, dur, vol) {
    const ctx = this.ctx;
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.type = "sine";
    osc.frequency.value = freq;
    gain.gain.setValueAtTime(0, when);
    gain.gain.linearRampToValueAtTime(vol, when + 0.01);
    gain.gain.setValueAtTime(vol, Math.max(when + 0.01, when + dur - 0.03));
    gain.gain.linearRampToValueAtTime(0, when + dur);
    osc.connect(gain);
    gain.connect(this.master);
    osc.start(when);
    osc.stop(when + dur + 0.02);
    const node = { osc, gain };
    osc.onended = () => {
      try {
        gain.disconnect();
      } catch (e) {
        /* cancelled */
      }
      const k = this.scheduled.indexOf(node);
      if (k >= 0) this.scheduled.splice(k, 1);
    };
    this.scheduled.push(node);
  }

  scheduleBeeps(now = this.now()) {
    // Every remaining beep goes on the audio clock now, so beeps keep time even while the tab sleeps.
    this.cancelBeeps();
    if (!this.prefs.sound || this.status !== "running" || !this.ctx) return;
    const pos = this.tl.position(now);
    // Map plan time to audio time through one moment read on both clocks: the output timestamp (audio
    // time and performance.now() of the sample being heard) when there is one, else currentTime at `now`.
    // performance.now() is the audio timestamps' clock; `skew` converts it to ours (0 when ours is it).
    const skew = this.now() - performance.now();
    let ctxNow = this.ctx.currentTime;
    let clockNow = now;
    if (this.ctx.getOutputTimestamp) {
      const ts = this.ctx.getOutputTimestamp();
      if (ts && ts.performanceTime > 0) {
        ctxNow = ts.contextTime;
        clockNow = ts.performanceTime + skew;
      }
    }
    this.audioOffset = ctxNow - (clockNow - skew) / 1000; // audio time minus performance time, in s
    const at = (planMs) => ctxNow + (this.tl.startAt + planMs - clockNow) / 1000;
    for (const b of beepPlan(this.data.steps, pos, { tempo: this.prefs.tempo })) {
      this.tone(at(b.at), b.freq, b.dur, b.vol);
    }
    this.root.dataset.beeps = String(this.scheduled.length);
  }

  // ---- voice -----------------------------------------------------------------------------------

  setVoiceAvailable(ok) {
    if (this.destroyed) return;
    this.voiceOk = ok;
    this.root.dataset.voice = ok ? "available" : "unavailable";
    if (ok) return;
    // Say so, and untick the box (the saved choice stays, for a device that can speak).
    this.el.optVoice.checked = false;
    this.el.optVoice.disabled = true;
    this.el.voiceNote.hidden = false;
    this.setText(this.el.voiceNote, "Voice is not available on this device, so the steps are not read out. "
      + "Beeps and the screen still show every step.");
  }

  say(text) {
    if (!this.prefs.voice || this.voiceOk === false || !text || !window.speechSynthesis) return;
    try {
      const synth = window.speechSynthesis;
      synth.cancel();
      const u = new SpeechSynthesisUtterance(text);
      u.rate = 1;
      u.lang = document.documentElement.lang || "en";
      u.onstart = () => { this.root.dataset.voice = "speaking"; };
      u.onend = () => { this.root.dataset.voice = "spoke"; };
      u.onerror = (e) => { this.root.dataset.voice = `error:${e.error || "unknown"}`; };
      synth.speak(u);
      this.root.dataset.said = text;
    } catch (e) {
      this.root.dataset.voice = "unavailable";
    }
  }

  // ---- screen wake lock ------------------------------------------------------------------------

  note(text) {
    this.el.wake.hidden = !text;
    this.setText(this.el.wake, text);
  }

  async requestWake() {
    if (this.wake) return;
    if (!("wakeLock" in navigator)) {
      this.root.dataset.wake = "unsupported";
      this.note("This browser cannot keep the screen on, so you may want a longer screen timeout while you exercise.");
      return;
    }
    try {
      const lock = await navigator.wakeLock.request("screen");
      if (this.status !== "running" && this.status !== "paused") {
        lock.release().catch(() => {});
        return;
      }
      this.wake = lock;
      lock.addEventListener("release", () => {
        if (this.wake === lock) this.wake = null;
      });
      this.root.dataset.wake = "on";
      this.note("The screen stays on while the routine plays.");
    } catch (e) {
      this.root.dataset.wake = `refused:${e.name}`;
      this.note("The browser would not keep the screen on here, so you may want a longer screen timeout while you exercise.");
    }
  }

  releaseWake() {
    const lock = this.wake;
    this.wake = null;
    if (lock) lock.release().catch(() => {});
    if (this.root.dataset.wake === "on") {
      this.root.dataset.wake = "released";
      this.note("");
    }
  }

  handleVisibility() {
    if (this.destroyed) return;
    if (document.visibilityState === "visible") {
      this.frame(); // the right step and time at once
      if (this.status === "running" || this.status === "paused") this.requestWake();
      if (this.status === "running") {
        this.scheduleBeeps();
        this.ensureLoop();
      }
    }
  }

  // ---- keyboard --------------------------------------------------------------------------------

  handleKey(e) {
    if (this.destroyed || !this.root.isConnected || e.defaultPrevented) return;
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    if (this.status !== "running" && this.status !== "paused") return;
    const target = (e.composedPath && e.composedPath()[0]) || e.target;
    if (target && target.closest && target.closest(
      "input, textarea, select, [contenteditable], [role=slider], [role=textbox], [role=combobox], [role=spinbutton], [role=listbox]",
    )) return;
    if (e.key === " " || e.code === "Space") {
      if (target && target.closest && target.closest("button, [role=button], a")) return; // the button handles it
      e.preventDefault();
      this.toggle();
    } else if (e.key === "ArrowRight") {
      e.preventDefault();
      this.skip();
    } else if (e.key === "ArrowLeft") {
      e.preventDefault();
      this.back();
    }
  }
}

export default function (args) {
  const { parentElement } = args;
  const root = parentElement.querySelector(".hk-player");
  if (!root) return undefined;
  let player = root.__hkPlayer;
  if (!player || player.destroyed) {
    player = new Player(root);
    root.__hkPlayer = player;
  }
  player.connect(args);
  return () => player.maybeDestroy();
}
