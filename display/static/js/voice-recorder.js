/* The voice pack recording page (admin): record each clip with MediaRecorder or take a
 * sound file, decode it here with Web Audio (WebM/Opus, MP3, OGG, WAV), send it as 16-bit
 * PCM WAV; the server trims and levels it. Waveforms come from the server's peaks.
 * Nothing is loaded from the internet. */
(function () {
  "use strict";
  const root = document.getElementById("voice-page");
  const texts = document.getElementById("voice-texts").dataset;
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const status = document.getElementById("voice-status");
  const maxUpload = Number(root.dataset.maxUpload);
  const rows = new Map();
  document.querySelectorAll("tr.v-clip").forEach((row) => rows.set(row.dataset.text, row));
  window.XPVoice = { saved: [] }; // clips the server kept, for the tests and troubleshooting

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, (whole, key) => (key in values ? values[key] : whole));
  }

  function say(message, isError) {
    status.textContent = message;
    status.className = "v-status" + (isError ? " error" : "");
  }

  function draw(canvas, peaks) {
    const g = canvas.getContext("2d");
    g.clearRect(0, 0, canvas.width, canvas.height);
    if (!peaks.length) return;
    const mid = canvas.height / 2;
    const step = canvas.width / peaks.length;
    g.fillStyle = "#1f5fa8";
    peaks.forEach((peak, i) => {
      const h = Math.max(1, peak * canvas.height);
      g.fillRect(i * step, mid - h / 2, Math.max(1, step - 1), h);
    });
  }

  function show(clip) {
    const row = rows.get(clip.text);
    if (!row) return;
    draw(row.querySelector(".v-wave"), clip.peaks);
    row.querySelector(".v-length").textContent = clip.source ? `${clip.duration_s} s` : "";
    const source = row.querySelector(".v-source");
    source.textContent = clip.source ? clip.source_name : texts.missing;
    source.className = "v-source" + (clip.source ? "" : " v-missing");
    const play = row.querySelector(".v-play");
    play.disabled = !clip.wav;
    play.dataset.wav = clip.wav || "";
    row.dataset.source = clip.source || "";
  }

  async function refresh() {
    const response = await fetch(root.dataset.clips, { cache: "no-store" });
    if (!response.ok) return;
    (await response.json()).clips.forEach(show);
  }

  function wavOf(buffer) {
    const length = buffer.length;
    const channels = buffer.numberOfChannels;
    const data = new Int16Array(length);
    const inputs = [];
    for (let c = 0; c < channels; c++) inputs.push(buffer.getChannelData(c));
    for (let i = 0; i < length; i++) {
      let sum = 0;
      for (let c = 0; c < channels; c++) sum += inputs[c][i];
      const v = Math.max(-1, Math.min(1, sum / channels));
      data[i] = v < 0 ? v * 32768 : v * 32767;
    }
    const header = new DataView(new ArrayBuffer(44));
    const word = (offset, text) => [...text].forEach((ch, i) => header.setUint8(offset + i, ch.charCodeAt(0)));
    word(0, "RIFF"); header.setUint32(4, 36 + data.byteLength, true); word(8, "WAVE");
    word(12, "fmt "); header.setUint32(16, 16, true); header.setUint16(20, 1, true);
    header.setUint16(22, 1, true); header.setUint32(24, buffer.sampleRate, true);
    header.setUint32(28, buffer.sampleRate * 2, true); header.setUint16(32, 2, true);
    header.setUint16(34, 16, true); word(36, "data"); header.setUint32(40, data.byteLength, true);
    return new Blob([header, data.buffer], { type: "audio/wav" });
  }

  let context = null;
  async function decode(blob) {
    context = context || new AudioContext();
    return context.decodeAudioData(await blob.arrayBuffer());
  }

  async function send(text, blob, source) {
    say(texts.decoding);
    let wav;
    try {
      wav = wavOf(await decode(blob));
    } catch (error) {
      say(texts.notAudio, true);
      return;
    }
    if (wav.size > maxUpload) {
      say(texts.tooBig, true);
      return;
    }
    const url = root.dataset.take + encodeURIComponent(text) + "?source=" + source;
    const response = await fetch(url, {
      method: "PUT",
      headers: { "Content-Type": "audio/wav", "X-CSRF-Token": csrf },
      body: wav,
    });
    const body = await response.json().catch(() => ({}));
    if (!response.ok) {
      say(fill(texts.failed, { error: body.error || response.status }), true);
      return;
    }
    await refresh();
    window.XPVoice.saved.push({ text, source, duration_s: body.duration_s });
    say(fill(texts.saved, { text, seconds: body.duration_s }));
  }

  let stream = null;
  let recording = null;
  async function record(row) {
    if (recording) return;
    try {
      // The raw voice: no echo cancelling, noise gate or automatic gain (which would lift
      // the pauses and change the loudness the server evens out).
      const raw = { echoCancellation: false, noiseSuppression: false, autoGainControl: false };
      stream = stream || (await navigator.mediaDevices.getUserMedia({ audio: raw }));
    } catch (error) {
      say(fill(texts.micDenied, { error: error.message || error.name }), true);
      return;
    }
    const recorder = new MediaRecorder(stream);
    const chunks = [];
    const started = performance.now();
    const seconds = row.querySelector(".v-seconds");
    const stop = row.querySelector(".v-stop");
    const button = row.querySelector(".v-record");
    recorder.ondataavailable = (event) => chunks.push(event.data);
    recorder.onstop = () => {
      window.clearInterval(timer);
      stop.hidden = true;
      button.hidden = false;
      recording = null;
      send(row.dataset.text, new Blob(chunks, { type: recorder.mimeType }), "microphone");
    };
    const timer = window.setInterval(() => {
      seconds.textContent = ((performance.now() - started) / 1000).toFixed(1);
    }, 100);
    seconds.textContent = "0.0";
    recording = recorder;
    button.hidden = true;
    stop.hidden = false;
    recorder.start();
    say(fill(texts.recording, { text: row.dataset.text }));
    stop.focus();
  }

  if (!navigator.mediaDevices || !window.MediaRecorder) {
    document.getElementById("mic-note").hidden = false;
    document.querySelectorAll(".v-record").forEach((b) => (b.disabled = true));
  }

  rows.forEach((row) => {
    row.querySelector(".v-record").addEventListener("click", () => record(row));
    row.querySelector(".v-stop").addEventListener("click", () => recording && recording.stop());
    row.querySelector(".v-play").addEventListener("click", (event) => {
      new Audio(event.currentTarget.dataset.wav + "?t=" + Date.now()).play();
    });
    row.querySelector(".v-upload").addEventListener("change", (event) => {
      const file = event.currentTarget.files[0];
      event.currentTarget.value = "";
      if (!file) return;
      if (file.size > 8 * maxUpload) {
        say(texts.tooBig, true);
        return;
      }
      send(row.dataset.text, file, "upload");
    });
  });

  document.getElementById("sample-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const note = document.getElementById("sample-note");
    const query = new URLSearchParams({
      number: document.getElementById("sample-number").value,
      counter: document.getElementById("sample-counter").value,
    });
    const response = await fetch(`${root.dataset.sample}?${query}`, { cache: "no-store" });
    const body = await response.json().catch(() => ({}));
    if (!response.ok) {
      note.textContent = body.error || String(response.status);
      note.className = "error";
      return;
    }
    note.className = body.missing.length ? "warning" : "ok";
    note.textContent = body.missing.length
      ? fill(texts.missingWords, { words: body.missing.join(", ") })
      : texts.complete;
    const audio = new Audio(body.wav);
    window.XPVoice.sample = audio;
    audio.play().catch(() => {});
  });

  document.getElementById("publish").addEventListener("click", async () => {
    const result = document.getElementById("publish-result");
    result.replaceChildren();
    const response = await fetch(root.dataset.publish, {
      method: "POST",
      headers: { "X-CSRF-Token": csrf },
    });
    const body = await response.json().catch(() => ({}));
    const line = document.createElement("p");
    line.className = response.ok ? "ok" : "error";
    line.textContent = response.ok ? body.message : body.error || String(response.status);
    result.append(line);
    if (body.problems && body.problems.length) {
      const intro = document.createElement("p");
      intro.textContent = fill(texts.problems, { count: body.problems.length });
      const list = document.createElement("ul");
      list.className = "v-problems";
      body.problems.forEach((problem) => {
        const item = document.createElement("li");
        item.textContent = problem;
        list.append(item);
      });
      result.append(intro, list);
    }
  });

  refresh();
})();
