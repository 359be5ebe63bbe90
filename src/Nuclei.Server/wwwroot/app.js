// The page of `nuclei serve`: uploads images (choosing a channel and z of multi-plane files, and a diameter), follows
// their jobs' progress (cancellable), draws the server's labels over them, changes thresholds, downloads. The picture's
// display settings are in display.js, the label editor in editor.js, the training set in training.js; this file
// starts the page, so it is loaded last.
'use strict';

const token = new URLSearchParams(location.search).get('token');
const $ = id => document.getElementById(id);
const api = (path, init = {}) =>
  fetch(path, { ...init, headers: { ...(init.headers || {}), ...(token ? { 'X-Nuclei-Token': token } : {}) } });
const withToken = path => token ? `${path}${path.includes('?') ? '&' : '?'}token=${encodeURIComponent(token)}` : path;
const TABLE_COLUMNS = ['label', 'area_px', 'perimeter_px', 'equivalent_diameter_px', 'eccentricity', 'solidity', 'circularity', 'intensity_mean_ch1'];
const TOOLTIP_COLUMNS = ['area_px', 'perimeter_px', 'equivalent_diameter_px', 'eccentricity', 'solidity', 'circularity', 'intensity_mean_ch1'];

const state = {
  info: null,
  entries: [],         // { name, status, jobId, progress, id, summary, error, started }
  current: null,       // the entry shown, with picture, labels, rowOf
  view: { scale: 1, x: 0, y: 0 },
  selection: new Set(),  // labels selected (click; Shift+click adds)
  layers: null,        // { fill, outline } canvases at image size
  display: null,       // the picture as shown (display.js)
};
const choosing = [];   // files waiting for a channel / z choice: { file, planes }
const ACTIVE = ['sending', 'queued', 'running'];

async function errorOf(response) {
  try { const j = await response.json(); return j.error || `${response.status} ${response.statusText}`; }
  catch { return `${response.status} ${response.statusText}`; }
}

function showMessage(text) { $('message').textContent = text || ''; }

// ---- session list -------------------------------------------------------------------------------------------------

function renderList() {
  const list = $('images');
  list.replaceChildren(...state.entries.map(entry => {
    const li = document.createElement('li');
    li.className = (entry === state.current ? 'selected ' : '') + (['failed', 'cancelled'].includes(entry.status) ? entry.status : '');
    li.dataset.state = entry.status;
    if (entry.progress !== undefined) li.dataset.progress = entry.progress;
    const name = document.createElement('span');
    name.className = 'name';
    name.textContent = entry.name;
    name.title = entry.error || entry.name;
    li.append(name);
    if (entry.status === 'done') {
      const count = document.createElement('span');
      count.textContent = entry.unsaved ? entry.editedCount : entry.summary.count;
      li.append(count);
      if (entry.unsaved || entry.summary.corrected) {
        const mark = document.createElement('span');
        mark.className = 'edited';
        mark.textContent = entry.unsaved ? 'edited' : 'corrected';
        mark.title = entry.unsaved ? 'edited on this page, not saved' : 'your corrections are saved (in the training set)';
        li.append(mark);
      }
      li.onclick = () => select(entry);
    } else if (entry.status === 'failed' || entry.status === 'cancelled') {
      li.title = entry.error;
    } else {
      const bar = document.createElement('progress');
      bar.max = 1;
      const measured = entry.status === 'running' || entry.status === 'finishing';
      if (measured) bar.value = entry.progress;   // indeterminate while sending or queued
      const pct = document.createElement('span');
      pct.className = 'pct';
      pct.textContent = measured ? `${Math.floor(entry.progress * 100)} %` : entry.status;
      li.append(bar, pct);
    }
    if (!ACTIVE.includes(entry.status)) {
      const remove = document.createElement('button');
      remove.textContent = '×';
      remove.title = 'remove from the session';
      remove.onclick = e => { e.stopPropagation(); removeEntry(entry); };
      li.append(remove);
    } else {
      const cancel = document.createElement('button');
      cancel.className = 'cancel';
      cancel.textContent = '×';
      cancel.title = 'cancel';
      cancel.onclick = e => { e.stopPropagation(); cancelEntry(entry); };
      li.append(cancel);
    }
    return li;
  }));
  const done = state.entries.filter(e => e.status === 'done');
  const limit = state.info ? Math.round(state.info.limits.max_session_bytes / 1048576) : 0;
  $('session').textContent = `${done.length} image(s), ${done.reduce((n, e) => n + e.summary.count, 0)} nuclei; session limit ${limit} MB`;
  $('session-zip').href = withToken('/api/session.zip');
}

async function removeEntry(entry) {
  if (entry.id) await api(`/api/images/${entry.id}`, { method: 'DELETE' });
  state.entries = state.entries.filter(e => e !== entry);
  if (state.current === entry) clearView();
  renderList();
  await loadTrainingSet();   // its corrections leave the training set with it
}

// ---- uploads: inspect, choose planes, job, progress ----------------------------------------------------------------

const octets = file => ({ method: 'POST', body: file, headers: { 'Content-Type': 'application/octet-stream' } });

// A multi-plane TIFF first gets a channel / z choice; anything else is sent at once.
async function upload(file) {
  if (!await infoLoaded) return;
  if (/\.tiff?$/i.test(file.name)) {
    const response = await api(`/api/inspect?name=${encodeURIComponent(file.name)}`, octets(file));
    if (!response.ok) { showMessage(await errorOf(response)); return; }
    const planes = await response.json();
    if (planes.layout !== 'single') {
      choosing.push({ file, planes });
      if (choosing.length === 1) showChoice();
      return;
    }
  }
  send(file, {});
}

function showChoice() {
  const pending = choosing[0];
  $('planes').hidden = !pending;
  if (!pending) return;
  const p = pending.planes;
  $('planes-name').textContent = p.name;
  $('planes-note').textContent = p.note;
  const channel = $('planes-channel');
  // pages without metadata are channels or z planes: "none" lets the z choice take them
  const none = !p.needs_channel || p.layout === 'pages' ? [new Option('none', '')] : [];
  channel.replaceChildren(...none, ...p.channels.map((name, i) => new Option(`${i + 1}: ${name}`, String(i + 1))));
  // the server names the channel that looks nuclear (DAPI, Hoechst...): its list is the command line's too
  channel.value = p.needs_channel ? String(p.suggested ?? 1) : '';
  channel.disabled = p.channels.length < 2;
  $('planes-z').value = p.needs_z ? 'max' : '';
  $('planes-z').disabled = p.z_planes < 2;
}

function chosen(go) {
  const { file } = choosing.shift();
  if (go) send(file, { channel: $('planes-channel').value, z: $('planes-z').value });
  showChoice();
}

async function send(file, fields) {
  const entry = { name: file.name, status: 'sending', progress: 0, started: Date.now() };
  state.entries.push(entry);
  renderList();
  const query = new URLSearchParams({ name: file.name });
  for (const [key, value] of Object.entries({ ...fields, diameter: $('diameter').value.trim() }))
    if (value) query.set(key, value);
  try {
    const response = await api(`/api/jobs?${query}`, octets(file));
    if (!response.ok) throw new Error(await errorOf(response));
    follow(entry, await response.json());
    showMessage('');
    if (entry.cancelAsked) cancelEntry(entry);
    while (ACTIVE.includes(entry.status)) {
      await new Promise(resolve => setTimeout(resolve, 200));
      const r = await api(`/api/jobs/${entry.jobId}`);
      if (!r.ok) throw new Error(await errorOf(r));
      follow(entry, await r.json());
    }
    if (entry.status === 'finishing') await finish(entry);
    else if (entry.error) showMessage(entry.error);
  } catch (e) {
    entry.status = 'failed';
    entry.error = e.message;
    showMessage(entry.error);
  } finally {
    renderList();
  }
}

function follow(entry, job) {
  entry.jobId = job.id;
  entry.status = job.state === 'done' ? 'finishing' : job.state;   // done once its summary is here
  entry.progress = job.progress;
  entry.error = job.error;
  entry.id = job.image_id || undefined;
  renderList();
}

async function finish(entry) {
  const response = await api(`/api/images/${entry.id}`);
  if (!response.ok) throw new Error(await errorOf(response));
  entry.summary = await response.json();
  entry.status = 'done';
  renderList();
  if (!state.current || state.current.status !== 'done') await select(entry, Date.now() - entry.started);
}

async function cancelEntry(entry) {
  if (!entry.jobId) { entry.cancelAsked = true; return; }   // still sending: cancelled once the job exists
  const response = await api(`/api/jobs/${entry.jobId}/cancel`, { method: 'POST' });
  if (!response.ok && response.status !== 409) showMessage(await errorOf(response));
}

// The server would go on segmenting for nobody: cancel this page's jobs when it goes away.
function cancelAllOnLeave() {
  for (const entry of state.entries)
    if (entry.jobId && ACTIVE.includes(entry.status)) navigator.sendBeacon(withToken(`/api/jobs/${entry.jobId}/cancel`));
}

// ---- one image: picture, labels, overlay --------------------------------------------------------------------------

async function select(entry, uploadMs) {
  if (editing.mode) endMode();
  state.current = entry;
  state.selection.clear();
  renderList();
  if (!entry.picture) {
    const picture = new Image();
    picture.src = withToken(`/api/images/${entry.id}/picture.png`);
    await picture.decode();
    entry.picture = picture;
  }
  if (!entry.unsaved) await loadLabels(entry);   // edits not saved yet live here only
  document.body.classList.remove('no-image');
  buildDisplay();
  fit();
  showResult(entry);
  const s = entry.summary;
  const how = [s.channel && `channel ${s.channel}`, s.z && `z ${s.z}`, s.diameter && `diameter ${s.diameter}`].filter(Boolean).join(', ');
  if (uploadMs !== undefined) {
    const firstOverlayMs = Date.now() - entry.started;
    $('canvas').dataset.firstOverlayMs = firstOverlayMs;
    $('timing').textContent = `first overlay after ${(firstOverlayMs / 1000).toFixed(1)} s (prediction ${s.predict_seconds.toFixed(1)} s)`;
  } else {
    $('timing').textContent = `prediction took ${s.predict_seconds.toFixed(1)} s`;
  }
  if (how) $('timing').textContent += `; ${how}`;
}

async function loadLabels(entry) {
  const response = await api(`/api/images/${entry.id}/labels.bin`);
  if (!response.ok) throw new Error(await errorOf(response));
  entry.labels = new Int32Array(await response.arrayBuffer());
}

function showResult(entry) {
  const s = entry.summary;
  entry.rowOf = new Map(s.nuclei.map((row, i) => [row[0], i]));
  buildLayers();
  draw();
  renderTable();
  renderThresholds(s.thresholds);
  renderDownloads(entry);
  if (entry.unsaved) refreshLabels(entry);
  showCount(entry);
  renderEditBar();
  $('canvas').dataset.overlay = `${entry.id}:${s.count}:${s.thresholds.body}:${s.thresholds.min_size}`;
}

function clearView() {
  if (editing.mode) endMode();
  state.current = null;
  state.layers = null;
  state.display = null;
  state.selection.clear();
  document.body.classList.add('no-image');
  $('count').textContent = '';
  delete $('count').dataset.count;
  $('timing').textContent = '';
  $('nuclei').tHead.replaceChildren();
  $('nuclei').tBodies[0].replaceChildren();
  $('downloads').replaceChildren();
  renderEditBar();
  editNote('');
  draw();
}

// a distinct colour per label (golden-angle hues)
function colourOf(label) {
  const h = (label * 137.508) % 360 / 60, c = 255, x = Math.round(c * (1 - Math.abs(h % 2 - 1)));
  return [[c, x, 0], [x, c, 0], [0, c, x], [0, x, c], [x, 0, c], [c, 0, x]][Math.floor(h) % 6];
}

function buildLayers() {
  const entry = state.current, w = entry.summary.width, h = entry.summary.height, labels = entry.labels;
  const make = () => { const c = document.createElement('canvas'); c.width = w; c.height = h; return c; };
  const fill = make(), outline = make();
  const fillData = new ImageData(w, h), outlineData = new ImageData(w, h);
  const f = fillData.data, o = outlineData.data;
  for (let y = 0, i = 0; y < h; y++) {
    for (let x = 0; x < w; x++, i++) {
      const l = labels[i];
      if (l === 0) continue;
      const [r, g, b] = state.selection.has(l) ? [255, 255, 0] : colourOf(l);
      f[4 * i] = r; f[4 * i + 1] = g; f[4 * i + 2] = b; f[4 * i + 3] = 255;
      const edge = x === 0 || y === 0 || x === w - 1 || y === h - 1 ||
        labels[i - 1] !== l || labels[i + 1] !== l || labels[i - w] !== l || labels[i + w] !== l;
      if (edge) { o[4 * i] = r; o[4 * i + 1] = g; o[4 * i + 2] = b; o[4 * i + 3] = 255; }
    }
  }
  fill.getContext('2d').putImageData(fillData, 0, 0);
  outline.getContext('2d').putImageData(outlineData, 0, 0);
  state.layers = { fill, outline };
}

function draw() {
  const canvas = $('canvas'), stage = $('stage');
  canvas.width = stage.clientWidth;
  canvas.height = stage.clientHeight;
  const ctx = canvas.getContext('2d');
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  const entry = state.current;
  if (!entry || !entry.picture || !state.layers) return;
  const v = state.view;
  ctx.setTransform(v.scale, 0, 0, v.scale, v.x, v.y);
  ctx.imageSmoothingEnabled = v.scale < 1;
  ctx.drawImage(state.display || entry.picture, 0, 0);
  if ($('show-fill').checked) {
    ctx.globalAlpha = Number($('opacity').value);
    ctx.drawImage(state.layers.fill, 0, 0);
  }
  if ($('show-outline').checked) {
    ctx.globalAlpha = 1;
    ctx.drawImage(state.layers.outline, 0, 0);
  }
  ctx.globalAlpha = 1;
  drawEditPath(ctx);
  $('zoom').textContent = `${Math.round(v.scale * 100)} %`;
}

function fit() {
  const entry = state.current, stage = $('stage');
  if (!entry) return;
  const scale = Math.min(stage.clientWidth / entry.summary.width, stage.clientHeight / entry.summary.height);
  state.view = { scale, x: (stage.clientWidth - entry.summary.width * scale) / 2, y: (stage.clientHeight - entry.summary.height * scale) / 2 };
  draw();
}

// ---- zoom, pan, hover, pick ---------------------------------------------------------------------------------------

function labelAt(event) {
  const entry = state.current;
  if (!entry || !entry.labels) return 0;
  const rect = $('canvas').getBoundingClientRect(), v = state.view;
  const x = Math.floor((event.clientX - rect.left - v.x) / v.scale), y = Math.floor((event.clientY - rect.top - v.y) / v.scale);
  if (x < 0 || y < 0 || x >= entry.summary.width || y >= entry.summary.height) return 0;
  return entry.labels[y * entry.summary.width + x];
}

function value(entry, label, column) {
  const row = entry.summary.nuclei[entry.rowOf.get(label)];
  const v = row[entry.summary.columns.indexOf(column)];
  return v === null || v === undefined ? '' : Number.isInteger(v) ? String(v) : v.toFixed(column.includes('intensity') ? 3 : 2);
}

function wireStage() {
  const stage = $('stage'), tooltip = $('tooltip');
  let drag = null;
  stage.addEventListener('wheel', e => {
    e.preventDefault();
    const rect = stage.getBoundingClientRect(), v = state.view, k = e.deltaY < 0 ? 1.25 : 0.8;
    const mx = e.clientX - rect.left, my = e.clientY - rect.top;
    state.view = { scale: v.scale * k, x: mx - (mx - v.x) * k, y: my - (my - v.y) * k };
    draw();
  }, { passive: false });
  // while drawing (editor.js) the mouse draws instead of panning and picking
  stage.addEventListener('mousedown', e => {
    if (editing.mode) { editPress(e); return; }
    drag = { x: e.clientX, y: e.clientY, moved: false };
    stage.classList.add('panning');
  });
  window.addEventListener('mouseup', e => {
    if (editing.mode) editRelease();
    else if (drag && !drag.moved && e.target === $('canvas')) pick(labelAt(e), false, e.shiftKey);
    drag = null;
    stage.classList.remove('panning');
  });
  stage.addEventListener('dblclick', () => { if (editing.mode) finishMode(); });
  stage.addEventListener('mousemove', e => {
    if (editing.mode) editMove(e);
    else if (drag) {
      const dx = e.clientX - drag.x, dy = e.clientY - drag.y;
      if (Math.abs(dx) + Math.abs(dy) > 2) drag.moved = true;
      state.view.x += dx; state.view.y += dy;
      drag.x = e.clientX; drag.y = e.clientY;
      draw();
    }
    const label = labelAt(e);
    if (!label || !state.current.rowOf.has(label)) { tooltip.hidden = true; return; }
    const entry = state.current, rect = stage.getBoundingClientRect();
    tooltip.textContent = `nucleus ${label}\n` + TOOLTIP_COLUMNS.map(c => `${c}: ${value(entry, label, c)}`).join('\n');
    tooltip.style.left = `${e.clientX - rect.left + 14}px`;
    tooltip.style.top = `${e.clientY - rect.top + 14}px`;
    tooltip.hidden = false;
  });
  stage.addEventListener('mouseleave', () => { tooltip.hidden = true; });
  new ResizeObserver(() => draw()).observe(stage);
}

// a click selects one nucleus (or none, on the background); with `add` (Shift) it joins or leaves the selection
function pick(label, centre, add) {
  const entry = state.current;
  if (!entry) return;
  if (!add) state.selection = new Set(label ? [label] : []);
  else if (state.selection.has(label)) state.selection.delete(label);
  else if (label) state.selection.add(label);
  buildLayers();
  if (centre && label) {
    const x = Number(value(entry, label, 'centroid_x_px')), y = Number(value(entry, label, 'centroid_y_px')), stage = $('stage');
    state.view.x = stage.clientWidth / 2 - x * state.view.scale;
    state.view.y = stage.clientHeight / 2 - y * state.view.scale;
  }
  draw();
  for (const tr of $('nuclei').tBodies[0].rows) {
    const on = state.selection.has(Number(tr.dataset.label));
    tr.classList.toggle('selected', on);
    if (on && !centre && Number(tr.dataset.label) === label) tr.scrollIntoView({ block: 'nearest' });
  }
  renderEditBar();
}

// ---- table, thresholds, downloads ---------------------------------------------------------------------------------

function renderTable() {
  const entry = state.current, table = $('nuclei');
  const head = document.createElement('tr');
  head.append(...TABLE_COLUMNS.map(c => { const th = document.createElement('th'); th.textContent = c.replace(/_px$|_ch1$/, ''); th.title = c; return th; }));
  table.tHead.replaceChildren(head);
  table.tBodies[0].replaceChildren(...entry.summary.nuclei.map(row => {
    const tr = document.createElement('tr'), label = row[0];
    tr.dataset.label = label;
    tr.append(...TABLE_COLUMNS.map(c => { const td = document.createElement('td'); td.textContent = value(entry, label, c); return td; }));
    tr.onclick = () => pick(label, true);
    return tr;
  }));
}

const SLIDERS = { body: 't-body', contour: 't-contour', marker: 't-marker', min_size: 't-minsize' };

function renderThresholds(t) {
  for (const [key, id] of Object.entries(SLIDERS)) {
    $(id).value = t[key];
    $(id).nextElementSibling.textContent = t[key];
  }
}

async function rethreshold() {
  const entry = state.current;
  if (!entry) return;
  const t = Object.fromEntries(Object.entries(SLIDERS).map(([key, id]) => [key, Number($(id).value)]));
  const started = performance.now();
  const response = await api(`/api/images/${entry.id}/thresholds`, {
    method: 'POST', body: JSON.stringify(t), headers: { 'Content-Type': 'application/json' },
  });
  if (!response.ok) { showMessage(await errorOf(response)); return; }
  entry.summary = await response.json();
  await loadLabels(entry);
  state.selection.clear();
  showResult(entry);
  renderList();
  const ms = performance.now() - started;
  $('canvas').dataset.roundTripMs = Math.round(ms);
  $('timing').textContent = `thresholds applied in ${Math.round(ms)} ms (post-processing ${Math.round(entry.summary.post_process_seconds * 1000)} ms on the server)`;
}

function renderDownloads(entry) {
  const names = state.info.download_labels;
  $('downloads').replaceChildren(...state.info.downloads.map(kind => {
    const a = document.createElement('a');
    a.href = withToken(`/api/images/${entry.id}/files/${kind}`);
    a.download = '';
    a.dataset.kind = kind;
    a.textContent = names[kind] || kind;
    return a;
  }));
}

// ---- start --------------------------------------------------------------------------------------------------------

// The controls are wired before anything is awaited: a file chosen while the page still loads is not lost, it waits
// for the server's info (an upload's progress and downloads need it).
function wireControls() {
  const drop = $('drop');
  $('file').addEventListener('change', e => { [...e.target.files].forEach(upload); e.target.value = ''; });
  $('planes-go').addEventListener('click', () => chosen(true));
  $('planes-skip').addEventListener('click', () => chosen(false));
  window.addEventListener('pagehide', cancelAllOnLeave);
  drop.addEventListener('dragover', e => { e.preventDefault(); drop.classList.add('over'); });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', e => { e.preventDefault(); drop.classList.remove('over'); [...e.dataTransfer.files].forEach(upload); });
  for (const id of Object.values(SLIDERS)) {
    $(id).addEventListener('input', () => { $(id).nextElementSibling.textContent = $(id).value; });
    $(id).addEventListener('change', rethreshold);
  }
  $('reset').addEventListener('click', () => { if (state.info) { renderThresholds(state.info.defaults); rethreshold(); } });
  for (const id of ['show-fill', 'show-outline', 'opacity']) $(id).addEventListener('input', draw);
  $('fit').addEventListener('click', fit);
  wireStage();
  wireDisplay();
  wireEditor();
}

/** The server's engine, defaults and limits; false (with the message shown) when it cannot be had. */
async function loadInfo() {
  try {
    const response = await api('/api/info');
    if (!response.ok) { showMessage(await errorOf(response)); return false; }
    state.info = await response.json();
  } catch (e) {
    showMessage(`the server cannot be reached: ${e.message}`);
    return false;
  }
  $('engine').textContent = state.info.engine;
  $('t-minsize').max = Math.max(500, state.info.defaults.min_size * 4);
  $('diameter-default').textContent = state.info.diameter ? `(default ${state.info.diameter})` : '';
  $('diameter-row').hidden = !state.info.accepts_diameter;
  return true;
}

// Images already in the server's session (the page was reloaded).
async function loadSession() {
  const list = await (await api('/api/images')).json();
  for (const item of list) {
    const summary = await (await api(`/api/images/${item.id}`)).json();
    state.entries.push({ name: item.name, status: 'done', id: item.id, summary });
  }
  renderList();
  if (state.entries.length) await select(state.entries[0]);
  await loadTrainingSet();
}

wireControls();
const infoLoaded = loadInfo();
infoLoaded.then(ok => ok && loadSession()).finally(() => { document.body.dataset.ready = ''; });
