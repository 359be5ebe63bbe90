// Correcting the label map of the image shown, in the browser: select (click, Shift+click), delete, draw a new
// nucleus, merge, split along a line, undo and redo; then save the corrected map to the server, which keeps it in the
// session for the downloads and the training set. The map being edited is the entry's Int32Array of labels (what
// labels.bin gave); every edit is a step of changed pixels that undo reverses. Uses app.js's $, api, state, draw.
'use strict';

const MAX_HISTORY = 100;     // steps kept per image; the oldest are forgotten beyond it
const MAX_LABEL = 1 << 24;   // the server refuses larger labels
const MIN_PART = 3;          // a piece a split line cuts off under this many pixels joins its neighbour
const editing = { mode: null, points: [], pressed: false };   // mode: null, 'draw' or 'split'

function editable() {
  const entry = state.current;
  return entry && entry.labels ? entry : null;
}

function editNote(text) { $('edit-status').textContent = text; }

/** Where the mouse is in image coordinates (continuous: pixel x covers x..x+1). */
function imagePoint(event) {
  const rect = $('canvas').getBoundingClientRect(), v = state.view;
  return { x: (event.clientX - rect.left - v.x) / v.scale, y: (event.clientY - rect.top - v.y) / v.scale };
}

// ---- steps and history ----------------------------------------------------------------------------------------------

function historyOf(entry) { return entry.history || (entry.history = { undo: [], redo: [] }); }

/** Gives the pixels at `indices` the label `to` (one for all, or one each) as one step that undo reverses. */
function change(indices, to, what) {
  const entry = editable(), labels = entry.labels, n = indices.length;
  const step = { at: Int32Array.from(indices), from: new Int32Array(n), to: new Int32Array(n), what };
  for (let k = 0; k < n; k++) {
    const i = step.at[k];
    step.from[k] = labels[i];
    step.to[k] = typeof to === 'number' ? to : to[k];
    labels[i] = step.to[k];
  }
  const history = historyOf(entry);
  history.undo.push(step);
  if (history.undo.length > MAX_HISTORY) history.undo.shift();
  history.redo.length = 0;
  edited(entry, what);
}

function replay(entry, step, forward) {
  const values = forward ? step.to : step.from;
  for (let k = 0; k < step.at.length; k++) entry.labels[step.at[k]] = values[k];
}

function undo() { travel(true); }
function redo() { travel(false); }

function travel(back) {
  const entry = editable();
  if (!entry) return;
  const history = historyOf(entry), from = back ? history.undo : history.redo, to = back ? history.redo : history.undo;
  const step = from.pop();
  if (!step) { editNote(back ? 'nothing to undo' : 'nothing to redo'); return; }
  replay(entry, step, !back);
  to.push(step);
  edited(entry, `${back ? 'undid' : 'redid'}: ${step.what}`);
}

function edited(entry, what) {
  entry.unsaved = true;
  refreshLabels(entry);
  editNote(what);
}

/** Redraws and recounts after the labels changed: overlay, count, table rows of nuclei that are gone, controls. */
function refreshLabels(entry) {
  const present = labelsPresent(entry.labels);
  entry.editedCount = present.size;
  state.selection = new Set([...state.selection].filter(l => present.has(l)));
  buildLayers();
  draw();
  showCount(entry);
  for (const tr of $('nuclei').tBodies[0].rows) tr.hidden = !present.has(Number(tr.dataset.label));
  renderEditBar();
  renderList();
}

function labelsPresent(labels) {
  const present = new Set();
  for (let i = 0, last = 0; i < labels.length; i++) {
    const l = labels[i];
    if (l !== last) { if (l) present.add(l); last = l; }
  }
  return present;
}

function maxLabel(labels) {
  let max = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i] > max) max = labels[i];
  return max;
}

function pixelsOf(labels, wanted) {
  const at = [];
  for (let i = 0; i < labels.length; i++) if (wanted(labels[i])) at.push(i);
  return at;
}

// ---- delete, merge --------------------------------------------------------------------------------------------------

function deleteSelected() {
  const entry = editable();
  if (!entry) return;
  if (!state.selection.size) { editNote('select a nucleus first (click it)'); return; }
  const gone = new Set(state.selection);
  state.selection.clear();
  change(pixelsOf(entry.labels, l => gone.has(l)), 0, `deleted nucleus ${[...gone].join(', ')}`);
}

function mergeSelected() {
  const entry = editable();
  if (!entry) return;
  if (state.selection.size < 2) { editNote('select two or more nuclei to merge (Shift+click adds to the selection)'); return; }
  const into = Math.min(...state.selection), merged = new Set(state.selection);
  merged.delete(into);
  state.selection = new Set([into]);
  change(pixelsOf(entry.labels, l => merged.has(l)), into, `merged ${[...merged].join(', ')} into ${into}`);
}

// ---- draw and split modes -------------------------------------------------------------------------------------------

function startMode(mode) {
  if (!editable()) return;
  if (editing.mode === mode) { endMode(); return; }
  Object.assign(editing, { mode, points: [], pressed: false });
  $('stage').classList.add('drawing');
  renderEditBar();
  draw();
  editNote(mode === 'draw'
    ? 'draw: click corners or drag freehand; Enter or double-click closes, Backspace removes a corner, Esc cancels'
    : 'split: draw a line across the nucleus; Enter or double-click cuts, Esc cancels');
}

function endMode() {
  Object.assign(editing, { mode: null, points: [], pressed: false });
  $('stage').classList.remove('drawing');
  renderEditBar();
  draw();
}

function finishMode() {
  if (editing.mode === 'draw') closeOutline();
  else if (editing.mode === 'split') cutAlongLine();
}

function editPress(event) {
  if (event.button !== 0) return;
  editing.points.push(imagePoint(event));
  editing.pressed = true;
  draw();
}

// dragging adds a point every 3 screen pixels: freehand
function editMove(event) {
  if (!editing.pressed) return;
  const p = imagePoint(event), last = editing.points[editing.points.length - 1];
  if (Math.hypot(p.x - last.x, p.y - last.y) * state.view.scale < 3) return;
  editing.points.push(p);
  draw();
}

function editRelease() { editing.pressed = false; }

/** The path being drawn, over the overlay (the context is in image coordinates). */
function drawEditPath(ctx) {
  const points = editing.points;
  if (!editing.mode || !points.length) return;
  ctx.save();
  ctx.lineWidth = 1.5 / state.view.scale;
  ctx.strokeStyle = editing.mode === 'draw' ? '#0ff' : '#f0f';
  ctx.beginPath();
  ctx.moveTo(points[0].x, points[0].y);
  for (const p of points.slice(1)) ctx.lineTo(p.x, p.y);
  ctx.stroke();
  if (editing.mode === 'draw' && points.length > 2) {
    ctx.setLineDash([4 / state.view.scale, 4 / state.view.scale]);
    ctx.beginPath();
    ctx.moveTo(points[points.length - 1].x, points[points.length - 1].y);
    ctx.lineTo(points[0].x, points[0].y);
    ctx.stroke();
  }
  ctx.restore();
}

/** The points without repeats (a double-click adds its point twice). */
function distinctPoints(points) {
  return points.filter((p, k) => k === 0 || Math.hypot(p.x - points[k - 1].x, p.y - points[k - 1].y) > 1e-6);
}

/**
 * The pixels (row-major indices) the canvas paints for the path through `points`, within the image: the path is
 * painted on a scratch canvas over its bounding box and a pixel counts when its alpha is at least `minAlpha` (for a
 * filled outline, half covered; for a cut line, touched at all).
 */
function rasterise(points, paint, minAlpha, w, h) {
  const xs = points.map(p => p.x), ys = points.map(p => p.y);
  const x0 = Math.max(0, Math.floor(Math.min(...xs)) - 2), y0 = Math.max(0, Math.floor(Math.min(...ys)) - 2);
  const x1 = Math.min(w, Math.ceil(Math.max(...xs)) + 2), y1 = Math.min(h, Math.ceil(Math.max(...ys)) + 2);
  if (x1 <= x0 || y1 <= y0) return [];
  const scratch = document.createElement('canvas');
  scratch.width = x1 - x0; scratch.height = y1 - y0;
  const ctx = scratch.getContext('2d', { willReadFrequently: true });
  ctx.translate(-x0, -y0);
  ctx.beginPath();
  ctx.moveTo(points[0].x, points[0].y);
  for (const p of points.slice(1)) ctx.lineTo(p.x, p.y);
  paint(ctx);
  const alpha = ctx.getImageData(0, 0, scratch.width, scratch.height).data, at = [];
  for (let y = 0; y < scratch.height; y++)
    for (let x = 0; x < scratch.width; x++)
      if (alpha[4 * (y * scratch.width + x) + 3] >= minAlpha) at.push((y + y0) * w + x + x0);
  return at;
}

/**
 * Closes the outline drawn into a new nucleus, label = largest + 1, filled with the non-zero winding rule. Pixels that
 * are labelled stay with their nucleus unless "draw over nuclei" is ticked.
 */
function closeOutline() {
  const entry = editable(), points = distinctPoints(editing.points), { width: w, height: h } = entry.summary;
  if (points.length < 3) { editNote('a nucleus needs at least 3 corners: click more, or Esc to cancel'); return; }
  const inside = rasterise(points, ctx => { ctx.closePath(); ctx.fill('nonzero'); }, 128, w, h);
  const overwrite = $('edit-overwrite').checked, labels = entry.labels;
  const at = inside.filter(i => overwrite || labels[i] === 0);
  if (!at.length) { editNote('the outline holds no unlabelled pixel (tick "draw over nuclei" to take labelled ones)'); return; }
  const label = maxLabel(labels) + 1;
  if (label > MAX_LABEL) { editNote(`labels go up to ${MAX_LABEL}; save and reload to renumber`); return; }
  endMode();
  state.selection = new Set([label]);
  change(at, label, `drew nucleus ${label} (${at.length} px)`);
}

/** Cuts a nucleus in two (or more) along the line drawn: the selected one it crosses, else the one it crosses most. */
function cutAlongLine() {
  const entry = editable(), points = distinctPoints(editing.points), { width: w, height: h } = entry.summary;
  if (points.length < 2) { editNote('draw a line across the nucleus: at least 2 points'); return; }
  const line = rasterise(points, ctx => { ctx.lineWidth = 1; ctx.stroke(); }, 1, w, h);
  const target = splitTarget(line, entry.labels);
  if (!target) { editNote('the line crosses no nucleus'); return; }
  const parts = splitParts(entry.labels, target, new Set(line), w, h);
  if (!parts) { editNote(`the line does not cut nucleus ${target} in two: draw it from edge to edge`); return; }
  endMode();
  state.selection = new Set(parts.labels);
  change(parts.at, parts.to, `split nucleus ${target} into ${parts.labels.join(', ')}`);
}

function splitTarget(line, labels) {
  const crossed = new Map();
  for (const i of line) if (labels[i]) crossed.set(labels[i], (crossed.get(labels[i]) || 0) + 1);
  const selected = [...state.selection].filter(l => crossed.has(l));
  if (selected.length === 1) return selected[0];
  return [...crossed].reduce((best, c) => (!best || c[1] > best[1] ? c : best), null)?.[0] || 0;
}

/**
 * The new labels of `target`'s pixels once the cut pixels are taken out: its 4-connected pieces (the largest keeps
 * the label, the others get new ones), then the cut pixels and crumbs given to the piece they touch first (a
 * breadth-first fill), so no pixel is lost. Null when fewer than two pieces are left.
 */
function splitParts(labels, target, cut, w, h) {
  const own = pixelsOf(labels, l => l === target);
  const piece = new Map(own.map(i => [i, 0]));   // pixel → piece number (0: none yet)
  const sizes = [0];
  for (const start of own) {
    if (piece.get(start) || cut.has(start)) continue;
    const n = sizes.length, queue = [start];
    piece.set(start, n);
    for (let q = 0; q < queue.length; q++)
      for (const j of neighbours(queue[q], w, h))
        if (piece.get(j) === 0 && !cut.has(j)) { piece.set(j, n); queue.push(j); }
    sizes.push(queue.length);
  }
  const kept = sizes.map((s, n) => n).filter(n => n > 0 && sizes[n] >= MIN_PART).sort((a, b) => sizes[b] - sizes[a]);
  if (kept.length < 2) return null;
  let next = maxLabel(labels);
  const labelOf = new Map(kept.map((n, k) => [n, k === 0 ? target : ++next]));
  if (next > MAX_LABEL) return null;
  const assigned = new Map(own.filter(i => labelOf.has(piece.get(i))).map(i => [i, labelOf.get(piece.get(i))]));
  const queue = [...assigned.keys()];
  for (let q = 0; q < queue.length; q++)
    for (const j of neighbours(queue[q], w, h))
      if (piece.has(j) && !assigned.has(j)) { assigned.set(j, assigned.get(queue[q])); queue.push(j); }
  const at = own.filter(i => (assigned.get(i) ?? target) !== target);
  return { at, to: at.map(i => assigned.get(i)), labels: [...labelOf.values()] };
}

function neighbours(i, w, h) {
  const x = i % w, y = (i - x) / w, near = [];
  if (x > 0) near.push(i - 1);
  if (x < w - 1) near.push(i + 1);
  if (y > 0) near.push(i - w);
  if (y < h - 1) near.push(i + w);
  return near;
}

// ---- save, revert ---------------------------------------------------------------------------------------------------

/** Sends the edited map to the server, which keeps it as the image's labels; then shows its measurements. */
async function saveCorrections() {
  const entry = editable();
  if (!entry || !entry.unsaved) return;
  const s = entry.summary;
  $('edit-save').disabled = true;
  const response = await api(`/api/images/${entry.id}/corrections?width=${s.width}&height=${s.height}`,
    { method: 'PUT', body: entry.labels, headers: { 'Content-Type': 'application/octet-stream' } });
  if (!response.ok) { showMessage(await errorOf(response)); renderEditBar(); return; }
  const saved = await response.json();
  entry.unsaved = false;
  await refreshSummary(entry);
  editNote(`saved: ${saved.count_before} nuclei before editing, ${saved.count_after} now`);
  $('edit-save').dataset.saved = `${entry.id}:${saved.count_after}`;
  await loadTrainingSet();
}

/** Drops this image's edits, saved or not: the model's labels again, under the thresholds they started from. */
async function revertEdits() {
  const entry = editable();
  if (!entry) return;
  if (entry.summary.corrected) {
    const response = await api(`/api/images/${entry.id}/corrections`, { method: 'DELETE' });
    if (!response.ok) { showMessage(await errorOf(response)); return; }
  }
  entry.unsaved = false;
  entry.history = null;
  state.selection.clear();
  endMode();
  await loadLabels(entry);
  await refreshSummary(entry);
  editNote('back to the model\'s labels');
  await loadTrainingSet();
}

async function refreshSummary(entry) {
  const response = await api(`/api/images/${entry.id}`);
  if (!response.ok) { showMessage(await errorOf(response)); return; }
  entry.summary = await response.json();
  if (state.current === entry) showResult(entry);
  renderList();
}

// ---- controls -------------------------------------------------------------------------------------------------------

/** Buttons enabled as the image's state allows; the thresholds locked while it has edits (post-processing would drop them). */
function renderEditBar() {
  const entry = editable(), history = entry && historyOf(entry);
  const buttons = {
    'edit-draw': !!entry, 'edit-split': !!entry, 'edit-merge': !!entry && state.selection.size > 1,
    'edit-delete': !!entry && state.selection.size > 0, 'edit-undo': !!history && history.undo.length > 0,
    'edit-redo': !!history && history.redo.length > 0, 'edit-save': !!entry && !!entry.unsaved,
    'edit-revert': !!entry && (!!entry.unsaved || entry.summary.corrected || (history && history.undo.length > 0)),
  };
  for (const [id, on] of Object.entries(buttons)) $(id).disabled = !on;
  $('edit-draw').classList.toggle('active', editing.mode === 'draw');
  $('edit-split').classList.toggle('active', editing.mode === 'split');
  const locked = !!entry && (!!entry.unsaved || entry.summary.corrected);
  $('thresholds').disabled = !entry || locked;
  $('thresholds-locked').hidden = !locked;
}

function showCount(entry) {
  const n = entry.unsaved ? entry.editedCount : entry.summary.count;
  $('count').textContent = `${n} nuclei` + (entry.unsaved ? ' (edited, not saved)' : entry.summary.corrected ? ' (your corrections)' : '');
  $('count').dataset.count = n;
}

function typing(target) {
  return target.tagName === 'TEXTAREA' || target.tagName === 'SELECT' || (target.tagName === 'INPUT' && !['range', 'checkbox'].includes(target.type));
}

function onEditKey(e) {
  if (!editable() || typing(e.target)) return;
  const ctrl = e.ctrlKey || e.metaKey, key = e.key.toLowerCase();
  let handled = true;
  if (ctrl && key === 'z') { if (e.shiftKey) redo(); else undo(); }
  else if (ctrl && key === 'y') redo();
  else if (ctrl && key === 's') saveCorrections();
  else if (ctrl || e.altKey) handled = false;
  else if (key === 'backspace' && editing.mode) { editing.points.pop(); draw(); }
  else if (key === 'delete' || key === 'backspace') deleteSelected();
  else if (key === 'd') startMode('draw');
  else if (key === 's') startMode('split');
  else if (key === 'm') mergeSelected();
  else if (key === 'enter' && editing.mode) finishMode();
  else if (key === 'escape') { if (editing.mode) endMode(); else pick(0); }
  else handled = false;
  if (handled) e.preventDefault();   // Enter must not also press the button that has the focus
}

function wireEditor() {
  window.addEventListener('keydown', onEditKey);
  $('edit-draw').addEventListener('click', () => startMode('draw'));
  $('edit-split').addEventListener('click', () => startMode('split'));
  $('edit-merge').addEventListener('click', mergeSelected);
  $('edit-delete').addEventListener('click', deleteSelected);
  $('edit-undo').addEventListener('click', undo);
  $('edit-redo').addEventListener('click', redo);
  $('edit-save').addEventListener('click', saveCorrections);
  $('edit-revert').addEventListener('click', revertEdits);
  renderEditBar();
}
