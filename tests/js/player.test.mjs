// The player around the timeline (static/player/player.js) with a small fake DOM and an injected clock:
// sleep and resume (the clock is wall time, re-read when the page is visible again) and the voice check.
// Run: node --test tests/js/
import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, test } from "node:test";

// ---- a fake page, just enough for Player ---------------------------------------------------------------

class FakeEl {
  constructor(selector = "") {
    this.selector = selector;
    this.textContent = "";
    this.innerHTML = "";
    this.hidden = false;
    this.disabled = false;
    this.checked = false;
    this.dataset = {};
    this.style = {};
    this.attrs = {};
    this.listeners = {};
    this.isConnected = true;
    this.parentElement = { title: "" };
    this.firstElementChild = { style: {} };
  }
  addEventListener(type, fn) { (this.listeners[type] ||= []).push(fn); }
  removeEventListener(type, fn) { this.listeners[type] = (this.listeners[type] || []).filter((f) => f !== fn); }
  dispatch(type, event = {}) { for (const fn of this.listeners[type] || []) fn(event); }
  setAttribute(name, value) { this.attrs[name] = value; }
  getBoundingClientRect() { return { top: 80, bottom: 700 }; }
  scrollIntoView() { this.scrolled = (this.scrolled || 0) + 1; }
}

class FakeRoot extends FakeEl {
  constructor() {
    super(".hk-player");
    this.els = new Map();
  }
  querySelector(selector) {
    if (!this.els.has(selector)) this.els.set(selector, new FakeEl(selector));
    return this.els.get(selector);
  }
}

function install({ voices = [{ name: "Test voice" }] } = {}) {
  const win = new FakeEl("window");
  const store = new Map();
  win.localStorage = { getItem: (k) => store.get(k) ?? null, setItem: (k, v) => store.set(k, String(v)) };
  win.innerHeight = 844;
  win.matchMedia = () => ({ matches: true });
  const synth = new FakeEl("speechSynthesis");
  synth.voices = voices;
  synth.getVoices = () => synth.voices;
  synth.spoken = [];
  synth.speak = (u) => synth.spoken.push(u.text);
  synth.cancel = () => {};
  win.speechSynthesis = synth;
  const doc = new FakeEl("document");
  doc.visibilityState = "visible";
  doc.documentElement = { lang: "en" };
  globalThis.window = win;
  globalThis.document = doc;
  globalThis.getComputedStyle = () => ({ scrollMarginTop: "72px" });
  globalThis.requestAnimationFrame = () => 1; // frames are driven by the test
  globalThis.cancelAnimationFrame = () => {};
  globalThis.SpeechSynthesisUtterance = class { constructor(text) { this.text = text; } };
  Object.defineProperty(globalThis, "navigator", { value: {}, configurable: true, writable: true });
  return { win, doc, synth };
}

const { Player, voiceAvailable } = await import("../../static/player/player.js");

// A plan shaped like hipknee.routines.Step.as_dict: get ready 0–5, hold left 5–35, switch 35–40,
// hold right 40–70, a longer get-ready to lie on the side 70–80, reps 80–110.
function step(kind, start, seconds, extra = {}) {
  return {
    kind, start, seconds, exercise_id: "ex", name: "Exercise", side: null, side_label: "", move_to: "",
    position: "standing", set_number: 1, sets: 1, reps: null, seconds_per_rep: null, cue: "", say: kind,
    title: kind, ...extra,
  };
}
const PLAN = {
  plan_id: "p1",
  svgs: {},
  steps: [
    step("get_ready", 0, 5, { side: "left", side_label: "Left leg works" }),
    step("hold", 5, 30, { side: "left", side_label: "Left leg works", title: "Hold" }),
    step("switch", 35, 5, { side: "right", side_label: "Right leg works", title: "Switch sides" }),
    step("hold", 40, 30, { side: "right", side_label: "Right leg works", title: "Hold" }),
    step("get_ready", 70, 10, {
      exercise_id: "clam", name: "Clamshell", side: "left", position: "side_lying",
      side_label: "Left leg works · lying on your right side", move_to: "lie on your right side",
    }),
    step("reps", 80, 30, {
      exercise_id: "clam", name: "Clamshell", side: "left", position: "side_lying", reps: 10,
      seconds_per_rep: 3, side_label: "Left leg works · lying on your right side",
    }),
  ].map((s, index) => ({ ...s, index })),
};

let page;
let players = [];

function newPlayer(options = {}) {
  const clock = { t: 1_700_000_000_000 };
  const root = new FakeRoot();
  const reports = [];
  const player = new Player(root, { now: () => clock.t, ...options });
  players.push(player);
  player.connect({ data: PLAN, setStateValue: (name, value) => reports.push({ name, ...value }) });
  return { clock, root, reports, player, el: (sel) => root.querySelector(sel) };
}

beforeEach(() => {
  page = install();
  players = [];
});

afterEach(() => {
  for (const p of players) p.destroy(); // clears its boundary timer
});

describe("sleep and resume", () => {
  test("the clock defaults to wall time (Date.now), which keeps going while a device sleeps", () => {
    const player = new Player(new FakeRoot());
    players.push(player);
    const before = Date.now();
    const t = player.now();
    assert.ok(t >= before && t <= Date.now() + 1, `${t} is not Date.now()`);
  });

  test("45 s of sleep mid-hold: on visibilitychange the player is on the right step with the right time", () => {
    const { clock, root, reports, player, el } = newPlayer();
    player.primary(); // Start
    assert.equal(root.dataset.status, "running");
    assert.equal(root.dataset.step, "0");
    clock.t += 7_000; // 2 s into the left hold
    player.frame();
    assert.equal(root.dataset.step, "1");
    assert.equal(el(".hk-count").textContent, "0:28");

    // The phone is locked: no frames, no timers. 45 s of wall time pass, then the page is visible again.
    page.doc.visibilityState = "hidden";
    page.doc.dispatch("visibilitychange");
    clock.t += 45_000; // now 52 s in: the right hold (40–70), 18 s left
    page.doc.visibilityState = "visible";
    page.doc.dispatch("visibilitychange");

    assert.equal(root.dataset.step, "3");
    assert.equal(root.dataset.kind, "hold");
    assert.equal(el(".hk-count").textContent, "0:18");
    assert.equal(el(".hk-side").textContent, "Right leg works");
    assert.equal(el(".hk-phase").textContent, "Hold");
    // the left hold finished while the screen was off, and Python heard so
    const last = reports.at(-1);
    assert.equal(last.status, "in_progress");
    assert.equal(last.steps_done, 1);
    assert.equal(last.step_index, 3);
    assert.equal(last.seconds_done, 52);
  });

  test("pageshow (back from the back-forward cache) re-syncs too, and a long sleep ends the routine", () => {
    const { clock, root, reports, player } = newPlayer();
    player.primary();
    clock.t += 200_000; // far past the 110 s plan
    page.win.dispatch("pageshow");
    assert.equal(root.dataset.status, "done");
    const last = reports.at(-1);
    assert.equal(last.status, "completed");
    assert.equal(last.steps_done, 3); // both holds and the reps
    assert.equal(last.seconds_done, 110); // finished at the planned end, not when the screen came back
  });

  test("a paused routine stays where it was however long the phone sleeps", () => {
    const { clock, root, player, el } = newPlayer();
    player.primary();
    clock.t += 10_000;
    player.frame();
    player.primary(); // Pause
    assert.equal(el(".hk-phase").textContent, "Paused");
    clock.t += 600_000;
    page.doc.dispatch("visibilitychange");
    assert.equal(root.dataset.status, "paused");
    assert.equal(root.dataset.step, "1");
    assert.equal(el(".hk-count").textContent, "0:25");
    player.primary(); // Resume
    assert.equal(el(".hk-phase").textContent, "Hold");
  });
});

describe("moving between positions and which leg works", () => {
  test("the pause before a change of position says where to go; the side line says which leg works", () => {
    const { clock, player, el } = newPlayer();
    player.primary();
    assert.equal(el(".hk-move").hidden, true);
    assert.equal(el(".hk-side").textContent, "Left leg works");
    clock.t += 72_000; // in the 10 s get-ready before the clamshell
    player.frame();
    assert.equal(el(".hk-move").hidden, false);
    assert.equal(el(".hk-move").textContent, "Next: lie on your right side");
    assert.equal(el(".hk-side").textContent, "Left leg works · lying on your right side");
    assert.equal(el(".hk-count").textContent, "0:08");
    clock.t += 8_000; // the reps: the move is done
    player.frame();
    assert.equal(el(".hk-move").hidden, true);
  });
});

describe("voice", () => {
  const fakeTimers = () => {
    const t = { fns: [], setTimeout: (fn) => { t.fns.push(fn); return t.fns.length; }, clearTimeout: () => {} };
    return t;
  };

  test("no speechSynthesis or no utterances: not available", async () => {
    assert.equal(await voiceAvailable(undefined), false);
    assert.equal(await voiceAvailable(page.synth, { canSpeak: false }), false);
  });

  test("voices there at once, or arriving with voiceschanged: available", async () => {
    assert.equal(await voiceAvailable(page.synth), true);
    page.synth.voices = [];
    const timers = fakeTimers();
    const pending = voiceAvailable(page.synth, { timers });
    page.synth.voices = [{ name: "late" }];
    page.synth.dispatch("voiceschanged");
    assert.equal(await pending, true);
  });

  test("still no voice when the wait is over: not available", async () => {
    page.synth.voices = [];
    const timers = fakeTimers();
    const pending = voiceAvailable(page.synth, { timers });
    page.synth.dispatch("voiceschanged"); // an empty list again
    timers.fns.forEach((fn) => fn());
    assert.equal(await pending, false);
  });

  test("the player says voice is unavailable, unticks it and stays quiet", async () => {
    page.synth.voices = []; // and none come
    const { root, player, el } = newPlayer({ voiceWaitMs: 20 });
    assert.equal(el(".hk-opt-voice").checked, true); // on by default
    assert.equal(root.dataset.voice, "checking");
    await new Promise((resolve) => setTimeout(resolve, 60));
    assert.equal(root.dataset.voice, "unavailable");
    assert.equal(el(".hk-opt-voice").checked, false);
    assert.equal(el(".hk-opt-voice").disabled, true);
    assert.equal(el(".hk-voice-note").hidden, false);
    assert.match(el(".hk-voice-note").textContent, /^Voice is not available on this device/);
    player.primary();
    assert.deepEqual(page.synth.spoken, []);
  });

  test("with a voice the steps are read out", async () => {
    const { root, player, el } = newPlayer();
    await Promise.resolve();
    assert.equal(root.dataset.voice, "available");
    assert.equal(el(".hk-opt-voice").checked, true);
    player.primary();
    assert.deepEqual(page.synth.spoken, ["get_ready"]);
  });
});
