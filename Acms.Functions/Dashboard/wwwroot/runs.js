// Runs: the ledger filtered by job, status and trigger; one run with its result JSON (dry-run groups included) and error.
import { api } from './api.js';
import { badge, count, duration, errorBox, facts, h, replace, routeQuery, setRouteQuery, timeEl } from './dom.js';
import { runLink } from './jobs.js';

const STATUSES = ['running', 'succeeded', 'failed', 'skipped', 'abandoned'];
const TRIGGERS = ['timer', 'http', 'cli', 'scheduler'];
const LIMITS = ['50', '100', '200'];

function select(id, label, options, value, anyLabel) {
  const el = h('select', { id, name: id },
    anyLabel ? h('option', { value: '' }, anyLabel) : null,
    options.map((o) => h('option', { value: o, selected: o === value }, o)));
  return [h('label', { for: id }, label), el];
}

export function runsPage(view) {
  const q = routeQuery();
  const filters = { job: q.get('job') || '', status: q.get('status') || '', trigger: q.get('trigger') || '', limit: q.get('limit') || '50' };
  const [jobLabel, jobSelect] = select('runs-job', 'Job', [], '', 'All jobs');
  const [statusLabel, statusSelect] = select('runs-status', 'Status', STATUSES, filters.status, 'Any status');
  const [triggerLabel, triggerSelect] = select('runs-trigger', 'Trigger', TRIGGERS, filters.trigger, 'Any trigger');
  const [limitLabel, limitSelect] = select('runs-limit', 'Show', LIMITS, filters.limit, null);
  const form = h('form', { className: 'filters', 'aria-label': 'Filter runs', onsubmit: (e) => { e.preventDefault(); load(); } },
    h('div', { className: 'field' }, jobLabel, jobSelect),
    h('div', { className: 'field' }, statusLabel, statusSelect),
    h('div', { className: 'field' }, triggerLabel, triggerSelect),
    h('div', { className: 'field' }, limitLabel, limitSelect),
    h('button', { type: 'submit', className: 'primary' }, 'Apply'));
  const summary = h('p', { className: 'muted', 'aria-live': 'polite' });
  const table = h('div', { className: 'table-wrap', role: 'region', 'aria-label': 'Runs', tabindex: '0' });
  replace(view, h('h1', null, 'Runs'), form, summary, table);
  for (const el of [jobSelect, statusSelect, triggerSelect, limitSelect]) { el.addEventListener('change', () => load()); }

  // The job list comes from the status route (one index probe per job), so a new job appears without a page change.
  api('v2/jobs/status').then((data) => {
    for (const job of data.jobs) { jobSelect.append(h('option', { value: job.id, selected: job.id === filters.job }, job.name)); }
  }).catch(() => {});
  if (filters.job && ![...jobSelect.options].some((o) => o.value === filters.job)) {
    jobSelect.append(h('option', { value: filters.job, selected: true }, filters.job));
  }

  let stopped = false;
  // Each filter change starts a request; only the newest one's answer is drawn (an older, slower one must not overwrite it).
  let latest = 0;
  async function load() {
    const seq = ++latest;
    const params = { job: jobSelect.value, status: statusSelect.value, trigger: triggerSelect.value, limit: limitSelect.value };
    setRouteQuery('runs', { ...params, limit: params.limit === '50' ? '' : params.limit });
    summary.textContent = 'Loading runs…';
    try {
      const data = await api('v2/jobs/runs', { query: params });
      if (stopped || seq !== latest) { return; }
      summary.textContent = `${data.count} run${data.count === 1 ? '' : 's'}, newest first.`;
      replace(table, runsTable(data.runs));
    } catch (error) {
      if (stopped || seq !== latest) { return; }
      summary.textContent = '';
      replace(table, errorBox(error));
    }
  }

  load();
  return () => { stopped = true; };
}

function runsTable(runs) {
  if (runs.length === 0) { return h('p', null, 'No runs match.'); }
  return h('table', null,
    h('thead', null, h('tr', null, ['Started', 'Job', 'Trigger', 'Status', 'Duration', 'Affected', 'Run', 'Error'].map((c) => h('th', { scope: 'col', className: c === 'Affected' || c === 'Duration' ? 'num' : null }, c)))),
    h('tbody', null, runs.map((r) => h('tr', null,
      h('td', null, timeEl(r.started_at, true)),
      h('td', null, r.job),
      h('td', null, r.trigger),
      h('td', null, badge(r.status), r.dry_run ? h('span', { className: 'tag' }, 'dry run') : null),
      h('td', { className: 'num' }, duration(r.execution_time_ms)),
      h('td', { className: 'num' }, count(r.affected_count)),
      h('td', null, runLink(r.run_id)),
      h('td', { className: 'error-text' }, r.error_summary || r.error || '')))));
}

export function runPage(view, runId) {
  const body = h('div', null, h('p', { className: 'muted' }, 'Loading run…'));
  replace(view, h('p', null, h('a', { href: '#/runs' }, '← All runs')), h('h1', null, 'Run ', h('span', { className: 'mono' }, runId)), body);
  let timer = 0;
  let stopped = false;

  async function load() {
    try {
      const run = await api(`v2/jobs/runs/${encodeURIComponent(runId)}`);
      if (stopped) { return; }
      render(run);
      if (run.status === 'running') { timer = setTimeout(load, 2000); }
    } catch (error) {
      replace(body, errorBox(error));
    }
  }

  function render(run) {
    const p = run.progress || null;
    const result = run.result ?? null;
    const groups = result && Array.isArray(result.groups) ? result.groups : null;
    replace(body,
      facts([
        ['Job', h('a', { href: `#/runs?job=${encodeURIComponent(run.job)}` }, run.job)],
        ['Status', [badge(run.status), run.dry_run ? h('span', { className: 'tag' }, 'dry run') : null]],
        ['Trigger', run.trigger],
        ['Started', timeEl(run.started_at, true)],
        ['Completed', timeEl(run.completed_at, true)],
        ['Duration', duration(run.execution_time_ms)],
        ['Affected', count(run.affected_count)],
        p ? ['Progress', `${count(p.rows ?? 0)} rows · ${count(p.batches ?? 0)} batches${p.elapsed_ms !== undefined ? ` · ${duration(p.elapsed_ms)}` : ''}`] : null,
      ]),
      h('section', { 'aria-labelledby': 'run-error' }, h('h2', { id: 'run-error' }, 'Error'),
        run.error_summary || run.error ? h('pre', { className: 'error-text wrap' }, run.error_summary || run.error) : h('p', null, 'None.')),
      groups ? h('section', { 'aria-labelledby': 'run-groups' }, h('h2', { id: 'run-groups' }, `Groups (${groups.length} listed)`),
        h('div', { className: 'table-wrap', role: 'region', 'aria-label': 'Groups', tabindex: '0' }, groupsTable(groups))) : null,
      h('section', { 'aria-labelledby': 'run-result' }, h('h2', { id: 'run-result' }, 'Result'),
        result ? h('pre', { className: 'json', tabindex: '0', 'aria-label': 'Result JSON' }, JSON.stringify(result, null, 2)) : h('p', null, 'No result recorded.')));
  }

  load();
  return () => { stopped = true; clearTimeout(timer); };
}

function groupsTable(groups) {
  const columns = [...new Set(groups.flatMap((g) => Object.keys(g)))].slice(0, 8);
  const cell = (v) => (v !== null && typeof v === 'object' ? JSON.stringify(v) : v ?? '');
  return h('table', null,
    h('thead', null, h('tr', null, columns.map((c) => h('th', { scope: 'col' }, c.replace(/_/g, ' '))))),
    h('tbody', null, groups.map((g) => h('tr', null, columns.map((c) => h('td', { className: 'wrap' }, String(cell(g[c]))))))));
}
