// The session's saved corrections as a training set: the zip's download link (enabled once an image is saved) and
// the commands that unzip it and fine-tune the model on it (shown only: the page never trains). Uses app.js's $, api.
'use strict';

async function loadTrainingSet() {
  const response = await api('/api/training-set');
  if (!response.ok) { showMessage(await errorOf(response)); return; }
  const set = await response.json(), n = set.corrected.length, link = $('training-zip');
  link.classList.toggle('disabled', n === 0);
  link.setAttribute('aria-disabled', String(n === 0));
  if (n) link.href = withToken(set.download); else link.removeAttribute('href');
  link.dataset.images = n;
  $('training-count').textContent = n
    ? `${n} corrected image(s): ` + set.corrected.map(c => `${c.name} (${c.count_before} → ${c.count_after} nuclei)`).join(', ')
    : 'no corrections saved yet';
  $('retrain-unzip').textContent = set.unzip;
  $('retrain-command').textContent = set.retrain_command + (set.ensemble ? '\n# the server segments with an ensemble: this fine-tunes its first model' : '');
}
