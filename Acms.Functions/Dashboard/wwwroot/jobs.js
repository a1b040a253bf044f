// Jobs: schedule, next run, state, last run and the live progress of a running run; Run, Dry run, Pause and Resume.
import { api, ApiError } from './api.js';
import { badge, count, duration, facts, h, relative, replace, shortId, timeEl, utc, errorBox } from './dom.js';
import { confirmAction } from './dialog.js';

const FAST_MS = 2000; // while a run is in progress (or started from here)
const SLOW_MS = 15000;

export function runLink(runId) {
  // The name read out contains the visible text ("run …1a2b3c4d"), as WCAG's label-in-name asks; the full id is the title.
  return h('a', { href: `#/runs/${encodeURIComponent(runId)}`, className: 'mono', title: runId, 'aria-label': `run ${shortId(runId)}`, 'data-run-id': runId },
    shortId(runId));
}

export function jobsPage(view) {
  const state = { cards: new Map(), jobs: new Map(), inflight: 0, timer: 0, stopped: false };
  const stamp = h('p', { className: 'muted' });
  const list = h('div', { className: 'cards', id: 'job-list' }, h('p', { className: 'muted' }, 'Loading jobs…'));
  replace(view, h('h1', null, 'Jobs'), stamp, list);

  async function refresh() {
    try {
      const data = await api('v2/jobs/status');
      if (!state.stopped) { render(data); }
      return data;
    } catch (error) {
      if (state.cards.size === 0) { replace(list, errorBox(error)); }
      return null;
    }
  }

  function schedule(delay) {
    clearTimeout(state.timer);
    if (state.stopped) { return; }
    const busy = state.inflight > 0 || [...state.jobs.values()].some((j) => j.running);
    state.timer = setTimeout(async () => { await refresh(); schedule(); }, delay ?? (busy ? FAST_MS : SLOW_MS));
  }

  function render(data) {
    replace(stamp, 'Status at ', timeEl(data.generated_at, true), '. Times are UTC.');
    if (state.cards.size === 0) { list.replaceChildren(); }
    for (const job of data.jobs) {
      state.jobs.set(job.id, job);
      if (!state.cards.has(job.id)) {
        const card = createCard(job);
        state.cards.set(job.id, card);
        list.append(card.el);
      }
      updateCard(state.cards.get(job.id), job);
    }
  }

  function createCard(job) {
    const titleId = `job-${job.id}-title`;
    const card = {
      status: h('span', { className: 'card-badges' }),
      body: h('div'),
      progress: h('div', { className: 'progress', hidden: true }),
      answer: h('div', { className: 'answer', 'aria-live': 'polite', id: `job-${job.id}-answer` }),
      run: h('button', { type: 'button', className: 'primary', 'aria-label': `Run ${job.name}`, onclick: () => runJob(job.id, false) }, 'Run'),
      dry: h('button', { type: 'button', 'aria-label': `Dry run ${job.name}`, onclick: () => runJob(job.id, true) }, 'Dry run'),
      pause: h('button', { type: 'button', 'aria-label': `Pause ${job.name}`, onclick: () => pauseJob(job.id) }, 'Pause'),
      resume: h('button', { type: 'button', 'aria-label': `Resume ${job.name}`, onclick: () => resumeJob(job.id) }, 'Resume'),
    };
    card.el = h('article', { className: 'card job', 'aria-labelledby': titleId, 'data-job': job.id },
      h('div', { className: 'card-head' }, h('h2', { id: titleId }, job.name), card.status),
      card.body, card.progress,
      h('div', { className: 'actions', role: 'group', 'aria-label': `Actions for ${job.name}` }, card.run, card.dry, card.pause, card.resume),
      card.answer);
    return card;
  }

  function updateCard(card, job) {
    replace(card.status,
      job.running ? badge('running') : null,
      job.paused ? h('span', { className: 'badge badge-paused' }, 'paused') : null,
      job.enabled ? null : h('span', { className: 'badge badge-disabled' }, 'disabled'));
    const last = job.last_run;
    const pause = job.pause;
    replace(card.body, facts([
      ['Schedule', [job.schedule_text ? `${job.schedule_text} ` : '', h('code', null, job.schedule)]],
      ['Next run', job.next_run ? [timeEl(job.next_run), ` (${relative(job.next_run)})`] : 'not scheduled'],
      ['State', [job.enabled ? 'enabled' : 'disabled', job.paused ? '; paused' : '; active',
        pause ? ` by ${pause.by || 'unknown'} at ${utc(pause.at)}${pause.reason ? ` (“${pause.reason}”)` : ''}` : '']],
      ['Last run', last ? [badge(last.status), ' ', runLink(last.run_id), ` · ${duration(last.execution_time_ms)} · ${count(last.affected_count)} affected · `, timeEl(last.started_at)] : 'never'],
      last && last.error ? ['Error', h('span', { className: 'error-text' }, last.error)] : null,
    ]));

    const running = job.running_run;
    card.progress.hidden = !running;
    if (running) {
      const p = running.progress || {};
      const elapsed = p.elapsed_ms ?? (Date.now() - new Date(running.started_at).getTime());
      replace(card.progress,
        h('progress', { 'aria-label': `${job.name} run in progress` }),
        h('p', { className: 'progress-text' }, 'Running ', runLink(running.run_id), ` (${running.trigger}) since `, timeEl(running.started_at, true), ': ',
          h('span', { 'data-progress': 'rows' }, `${count(p.rows ?? 0)} rows`), ' · ',
          h('span', { 'data-progress': 'batches' }, `batch ${count(p.batches ?? 0)}`), ' · ',
          h('span', { 'data-progress': 'elapsed' }, `${duration(elapsed)} elapsed`),
          p.last_batch_at ? [' · last batch ', timeEl(p.last_batch_at, true)] : ''));
    }

    const focused = document.activeElement;
    card.pause.hidden = !!job.paused;
    card.resume.hidden = !job.paused;
    if (focused === card.pause && job.paused) { card.resume.focus(); }
    if (focused === card.resume && !job.paused) { card.pause.focus(); }
  }

  function say(jobId, parts, kind) {
    const card = state.cards.get(jobId);
    card.answer.className = `answer answer-${kind}`;
    replace(card.answer, parts);
  }

  async function runJob(jobId, dryRun) {
    const job = state.jobs.get(jobId);
    const what = dryRun ? 'Dry run' : 'Run';
    const confirmed = await confirmAction({
      title: dryRun ? `Dry run ${job.name}?` : `Run ${job.name} now?`,
      text: dryRun
        ? 'A dry run works out what the job would change and changes nothing; it is recorded in the ledger.'
        : 'The job runs now, whatever its schedule, and is recorded in the ledger. A paused job still runs when started by hand.',
      confirmLabel: what,
    });
    if (!confirmed) { return; }
    say(jobId, [`${what} of ${job.name} started…`], 'info');
    state.inflight += 1;
    schedule(600);
    try {
      const result = await api(`v2/jobs/${encodeURIComponent(jobId)}/run`, { method: 'POST', query: dryRun ? { dry_run: 'true' } : undefined });
      say(jobId, [`${what} `, runLink(result.run_id), ` ${result.status}: ${count(result.affected_count)} ${dryRun ? 'would be affected' : 'affected'} in ${duration(result.execution_time_ms)}.`],
        result.status === 'succeeded' ? 'ok' : 'warn');
    } catch (error) {
      await explain(jobId, error);
    } finally {
      state.inflight -= 1;
      await refresh();
      schedule();
    }
  }

  async function explain(jobId, error) {
    const problem = error instanceof ApiError ? error.problem : {};
    if (error instanceof ApiError && error.status === 409) {
      const latest = await refresh();
      const running = latest && latest.jobs.find((j) => j.id === jobId)?.running_run;
      const holder = problem.running_run_id || (running && running.run_id);
      say(jobId, ['Already running: run ', holder ? runLink(holder) : 'unknown',
        running && running.started_at ? ` started ${utc(running.started_at, true)} (${relative(running.started_at)}).` : '.'], 'warn');
    } else if (problem.run_id) {
      say(jobId, ['Run ', runLink(problem.run_id), ` failed: ${error.message}`], 'error');
    } else {
      say(jobId, [error.message], 'error');
    }
  }

  async function pauseJob(jobId) {
    const job = state.jobs.get(jobId);
    const confirmed = await confirmAction({
      title: `Pause ${job.name}?`,
      text: 'Its timer and scheduler runs are recorded as skipped (paused) until you resume it. Runs started by hand still run.',
      confirmLabel: 'Pause',
      input: { label: 'Reason (optional)', placeholder: 'why it is paused' },
    });
    if (!confirmed) { return; }
    try {
      const data = await api(`v2/jobs/${encodeURIComponent(jobId)}/pause`, { method: 'POST', body: confirmed.value ? { reason: confirmed.value } : {} });
      const p = data.pause || {};
      say(jobId, [`Paused${p.by ? ` by ${p.by}` : ''}${p.at ? ` at ${utc(p.at, true)}` : ''}.`], 'ok');
    } catch (error) {
      say(jobId, [error.message], 'error');
    }
    await refresh();
    schedule();
  }

  async function resumeJob(jobId) {
    const job = state.jobs.get(jobId);
    const confirmed = await confirmAction({
      title: `Resume ${job.name}?`,
      text: 'Its timer and scheduler runs start again from the next tick.',
      confirmLabel: 'Resume',
    });
    if (!confirmed) { return; }
    try {
      await api(`v2/jobs/${encodeURIComponent(jobId)}/resume`, { method: 'POST' });
      say(jobId, ['Resumed: it runs on its schedule again.'], 'ok');
    } catch (error) {
      say(jobId, [error.message], 'error');
    }
    await refresh();
    schedule();
  }

  refresh().then(() => schedule());
  return () => { state.stopped = true; clearTimeout(state.timer); };
}
