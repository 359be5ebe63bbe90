// How the picture is shown: brightness, contrast and gamma, applied in the browser to the 8-bit picture the server
// sends (a lookup table over its 256 grey levels). Display only: the labels, the server's image and every download
// are untouched. Uses app.js's $ and state.
'use strict';

const DISPLAY_DEFAULTS = { brightness: 0, contrast: 1, gamma: 1 };
const DISPLAY_IDS = Object.keys(DISPLAY_DEFAULTS);

function displaySettings() {
  return Object.fromEntries(DISPLAY_IDS.map(id => [id, Number($(id).value)]));
}

/** Output level of each input level: contrast about mid-grey, then brightness added, then clamped, then ^gamma. */
function displayTable({ brightness, contrast, gamma }) {
  const table = new Uint8ClampedArray(256);
  for (let v = 0; v < 256; v++) {
    const x = Math.min(1, Math.max(0, (v / 255 - 0.5) * contrast + 0.5 + brightness));
    table[v] = Math.round(Math.pow(x, gamma) * 255);
  }
  return table;
}

function isIdentity(s) {
  return DISPLAY_IDS.every(id => s[id] === DISPLAY_DEFAULTS[id]);
}

/** The picture's own pixels, read once per image (the adjusted picture is made from them, never from itself). */
function pictureData(entry) {
  if (!entry.pictureData) {
    const c = document.createElement('canvas');
    c.width = entry.picture.naturalWidth; c.height = entry.picture.naturalHeight;
    const ctx = c.getContext('2d');
    ctx.drawImage(entry.picture, 0, 0);
    entry.pictureData = ctx.getImageData(0, 0, c.width, c.height);
  }
  return entry.pictureData;
}

/** What draw() shows under the labels: the picture itself, or a canvas of it through the table. */
function buildDisplay() {
  const entry = state.current;
  if (!entry || !entry.picture) { state.display = null; return; }
  const settings = displaySettings();
  $('canvas').dataset.display = DISPLAY_IDS.map(id => settings[id]).join(',');
  if (isIdentity(settings)) { state.display = entry.picture; return; }
  const source = pictureData(entry), table = displayTable(settings);
  const adjusted = new ImageData(source.width, source.height), from = source.data, to = adjusted.data;
  for (let i = 0; i < from.length; i += 4) {
    to[i] = table[from[i]]; to[i + 1] = table[from[i + 1]]; to[i + 2] = table[from[i + 2]]; to[i + 3] = from[i + 3];
  }
  const canvas = document.createElement('canvas');
  canvas.width = source.width; canvas.height = source.height;
  canvas.getContext('2d').putImageData(adjusted, 0, 0);
  state.display = canvas;
}

function showDisplayValues() {
  for (const id of DISPLAY_IDS) $(`o-${id}`).textContent = Number($(id).value).toFixed(2).replace(/\.?0+$/, '') || '0';
}

// A slider moved many times a frame rebuilds the picture once per frame.
let displayFrame = 0;
function redisplay() {
  showDisplayValues();
  if (displayFrame) return;
  displayFrame = requestAnimationFrame(() => { displayFrame = 0; buildDisplay(); draw(); });
}

function resetDisplay() {
  for (const id of DISPLAY_IDS) $(id).value = DISPLAY_DEFAULTS[id];
  redisplay();
}

function wireDisplay() {
  for (const id of DISPLAY_IDS) $(id).addEventListener('input', redisplay);
  $('display-reset').addEventListener('click', resetDisplay);
  showDisplayValues();
}
