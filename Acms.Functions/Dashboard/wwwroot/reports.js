// Reports: the stored list, generating one for a period, and one report rendered from the API's HTML with its chart,
// downloadable as Markdown or JSON.
import { api, apiText, download } from './api.js';
import { errorBox, h, notify, replace, shortId, timeEl, utc } from './dom.js';
import { sanitizeReportHtml } from './sanitize.js';

export function reportsPage(view) {
  const list = h('div', { className: 'table-wrap', role: 'region', 'aria-label': 'Reports', tabindex: '0' }, h('p', { className: 'muted' }, 'Loading reports…'));
  const answer = h('div', { className: 'answer', 'aria-live': 'polite', id: 'generate-answer' });
  replace(view, h('h1', null, 'Reports'), generateForm(answer), answer, h('h2', null, 'Stored reports'), list);
  let stopped = false;
  api('v2/reports', { query: { limit: 50 } })
    .then((data) => { if (!stopped) { replace(list, reportsTable(data.reports)); } })
    .catch((error) => replace(list, errorBox(error)));
  return () => { stopped = true; };
}

function reportsTable(reports) {
  if (reports.length === 0) { return h('p', null, 'No reports yet. Generate one above, or wait for the weekly report job.'); }
  return h('table', null,
    h('thead', null, h('tr', null, ['Report', 'Type', 'Scope', 'Period', 'Created'].map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', null, reports.map((r) => h('tr', null,
      h('td', { className: 'wrap' }, h('a', { href: `#/reports/${encodeURIComponent(r.id)}` }, r.title || shortId(r.id))),
      h('td', null, r.report_type),
      h('td', null, r.scope === 'user' ? `user ${shortId(r.user_id)}` : 'organisation'),
      h('td', null, period(r.period_start, r.period_end)),
      h('td', null, timeEl(r.created_at))))));
}

/** Reports store an exclusive end; people read the last day. */
function period(start, end) {
  const last = new Date(new Date(end).getTime() - 86400000);
  return `${utc(start).slice(0, 10)} to ${utc(last).slice(0, 10)}`;
}

function generateForm(answer) {
  const field = (id, label, control) => h('div', { className: 'field', id: `${id}-field` }, h('label', { for: id }, label), control);
  const type = h('select', { id: 'gen-type', name: 'report_type' }, ['weekly', 'monthly', 'custom'].map((t) => h('option', { value: t }, t)));
  const scope = h('select', { id: 'gen-scope', name: 'scope' }, h('option', { value: 'org' }, 'organisation'), h('option', { value: 'user' }, 'a user'));
  const user = h('select', { id: 'gen-user', name: 'user_id' });
  const start = h('input', { id: 'gen-start', name: 'period_start', type: 'date' });
  const end = h('input', { id: 'gen-end', name: 'period_end', type: 'date' });
  const userField = field('gen-user', 'User', user);
  const startField = field('gen-start', 'From (first day)', start);
  const endField = field('gen-end', 'To (day after the last)', end);
  const submit = h('button', { type: 'submit', className: 'primary' }, 'Generate');
  let usersLoaded = false;

  async function sync() {
    userField.hidden = scope.value !== 'user';
    startField.hidden = endField.hidden = type.value !== 'custom';
    start.required = end.required = type.value === 'custom';
    if (scope.value === 'user' && !usersLoaded) {
      usersLoaded = true;
      try {
        const data = await api('v2/users', { query: { limit: 200 } });
        replace(user, data.users.map((u) => h('option', { value: u.user_id }, u.display_name ? `${u.display_name} (${u.username})` : u.username)));
      } catch (error) {
        replace(answer, errorBox(error));
      }
    }
  }
  type.addEventListener('change', sync);
  scope.addEventListener('change', sync);

  const form = h('form', { className: 'filters', 'aria-label': 'Generate a report' },
    field('gen-type', 'Period', type), field('gen-scope', 'Scope', scope), userField, startField, endField, submit);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    submit.disabled = true;
    replace(answer, 'Generating…');
    answer.className = 'answer answer-info';
    try {
      const report = await api('v2/reports/generate', {
        method: 'POST',
        body: {
          report_type: type.value, scope: scope.value, format: 'json',
          user_id: scope.value === 'user' ? user.value || undefined : undefined,
          period_start: type.value === 'custom' ? start.value : undefined,
          period_end: type.value === 'custom' ? end.value : undefined,
        },
      });
      answer.className = 'answer answer-ok';
      replace(answer, 'Generated ', h('a', { href: `#/reports/${encodeURIComponent(report.id)}` }, report.title), '.');
    } catch (error) {
      answer.className = 'answer answer-error';
      replace(answer, error.message);
    } finally {
      submit.disabled = false;
    }
  });
  sync();
  return form;
}

export function reportPage(view, reportId) {
  const body = h('div', { className: 'report' }, h('p', { className: 'muted' }, 'Loading report…'));
  const path = `v2/reports/${encodeURIComponent(reportId)}`;
  const save = (format, extension, type) => async () => {
    try {
      await download(path, { format }, `report-${reportId}.${extension}`, type);
      notify(`Downloaded report-${reportId}.${extension}.`, 'ok');
    } catch (error) {
      notify(error.message, 'error');
    }
  };
  replace(view,
    h('p', null, h('a', { href: '#/reports' }, '← All reports')),
    h('h1', null, 'Report'),
    h('div', { className: 'actions', role: 'group', 'aria-label': 'Download' },
      h('button', { type: 'button', onclick: save('markdown', 'md', 'text/markdown') }, 'Download Markdown'),
      h('button', { type: 'button', onclick: save('json', 'json', 'application/json') }, 'Download JSON')),
    body);
  let stopped = false;
  apiText(path, { query: { format: 'html' }, accept: 'text/html' })
    .then((html) => { if (!stopped) { replace(body, sanitizeReportHtml(html)); } })
    .catch((error) => replace(body, errorBox(error)));
  return () => { stopped = true; };
}
