/* Voice announcements on the hall display.
 *
 * Calls are spoken one at a time, in the order they arrive; an event seen twice is
 * spoken once, and a recall (a new call time) is spoken again. The sound comes from the
 * server (/audio/call/<number>/<counter>.wav), never from the internet. The line of text
 * under the number is display.js's: it names the number shown, not the one being spoken.
 * If the browser blocks autoplay, a "Bật âm thanh" button appears; one press lets the
 * queue play. */
(function () {
  "use strict";
  const XP = window.XP;
  const $ = (id) => document.getElementById(id);
  const enabled = XP.data.voice && XP.data.config.announce;
  const audio = new Audio();
  audio.volume = XP.data.config.volume;
  const queue = [];
  const seen = new Set();
  let playing = false;
  XP.audioLog = []; // what was played, for the tests and for troubleshooting

  function waitForClick() {
    const button = $("sound-on");
    button.hidden = false;
    return new Promise((resolve) => {
      button.addEventListener("click", () => { button.hidden = true; resolve(); }, { once: true });
    });
  }

  function finished() {
    return new Promise((resolve) => {
      audio.onended = resolve;
      audio.onerror = resolve;
    });
  }

  async function speak(call) {
    const path = `/audio/call/${encodeURIComponent(call.number)}/${call.counter}`;
    const response = await fetch(`${path}.json`);
    if (!response.ok) return;
    const info = await response.json();
    audio.src = info.wav;
    audio.playbackRate = XP.audioRate || 1;
    const done = finished();
    try {
      await audio.play();
    } catch (error) {
      if (error && error.name === "NotAllowedError") {
        await waitForClick();
        await audio.play();
      } else {
        throw error;
      }
    }
    XP.audioLog.push({ number: call.number, counter: call.counter, event: "start", at: performance.now() });
    await done;
    XP.audioLog.push({ number: call.number, counter: call.counter, event: "end", at: performance.now() });
  }

  async function next() {
    if (playing || queue.length === 0) return;
    playing = true;
    const call = queue.shift();
    try { await speak(call); } catch (error) { /* one bad call never stops the queue */ }
    playing = false;
    next();
  }

  XP.announce = function (call) {
    if (!enabled) return;
    const key = `${call.ticket_id}|${call.counter}|${call.at}`;
    if (seen.has(key)) return; // the same event twice
    seen.add(key);
    queue.push(call);
    next();
  };
})();
