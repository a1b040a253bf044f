// Insights: the organisation or one user, over 7, 30 or 90 days: top topics with trends, emerging and new topics,
// the stored insights, recommendations, and (for the organisation) topics asked across several users.
import { api, apiEnvelope } from './api.js';
import { count, errorBox, facts, h, replace, routeQuery, setRouteQuery, utc } from './dom.js';
import { topicsChart, trendText } from './chart.js';

const PERIODS = ['7', '30', '90'];

export function insightsPage(view) {
  const q = routeQuery();
  const state = { scope: q.get('scope') === 'user' ? 'user' : 'org', user: q.get('user') || '', days: PERIODS.includes(q.get('days')) ? q.get('days') : '7', usersLoaded: false, stopped: false, seq: 0 };

  const radio = (value, text) => h('label', { className: 'radio' },
    h('input', { type: 'radio', name: 'insights-scope', value, checked: state.scope === value, onchange: () => { state.scope = value; sync(); load(); } }), ' ', text);
  const userSelect = h('select', { id: 'insights-user', onchange: () => { state.user = userSelect.value; load(); } });
  const userSearch = h('input', { id: 'insights-user-search', type: 'search', maxlength: '100', autocomplete: 'off', placeholder: 'name or username' });
  const userField = h('div', { className: 'field-group', id: 'insights-user-field' },
    h('div', { className: 'field' }, h('label', { for: 'insights-user-search' }, 'Search users'), userSearch),
    h('div', { className: 'field' }, h('label', { for: 'insights-user' }, 'User'), userSelect));
  const daysSelect = h('select', { id: 'insights-days', onchange: () => { state.days = daysSelect.value; load(); } },
    PERIODS.map((d) => h('option', { value: d, selected: d === state.days }, `${d} days`)));
  const controls = h('form', { className: 'filters', 'aria-label': 'Insights scope and period', onsubmit: (e) => e.preventDefault() },
    h('fieldset', { className: 'scope' }, h('legend', null, 'Scope'), radio('org', 'Organisation'), radio('user', 'A user')),
    userField,
    h('div', { className: 'field' }, h('label', { for: 'insights-days' }, 'Period'), daysSelect));
  const status = h('p', { className: 'muted', 'aria-live': 'polite', id: 'insights-status' });
  const content = h('div', { id: 'insights-content' });
  replace(view, h('h1', null, 'Insights'), controls, status, content);

  let searchTimer = 0;
  userSearch.addEventListener('input', () => { clearTimeout(searchTimer); searchTimer = setTimeout(() => loadUsers(userSearch.value), 300); });

  function sync() {
    userField.hidden = state.scope !== 'user';
    setRouteQuery('insights', { scope: state.scope === 'org' ? '' : 'user', user: state.scope === 'user' ? state.user : '', days: state.days === '7' ? '' : state.days });
  }

  // Users are listed only when the user scope is chosen, so opening the page costs one summary call.
  async function loadUsers(search) {
    try {
      const data = await api('v2/users', { query: { limit: 200, q: search } });
      replace(userSelect, data.users.map((u) => h('option', { value: u.user_id, selected: u.user_id === state.user },
        u.display_name ? `${u.display_name} (${u.username})` : u.username)));
      if (data.users.length === 0) { userSelect.append(h('option', { value: '' }, 'No users match')); }
      state.usersLoaded = true;
      if (!data.users.some((u) => u.user_id === state.user)) {
        state.user = data.users.length ? data.users[0].user_id : '';
        load();
      }
    } catch (error) {
      replace(content, errorBox(error));
    }
  }

  async function load() {
    sync();
    if (state.scope === 'user' && !state.usersLoaded) { await loadUsers(''); return; }
    if (state.scope === 'user' && !state.user) { replace(content, h('p', null, 'Choose a user.')); return; }
    const seq = ++state.seq;
    status.textContent = 'Loading insights…';
    try {
      const query = { period_days: state.days, user_id: state.scope === 'user' ? state.user : undefined };
      const [{ data: summary, meta }, knowledge] = await Promise.all([
        apiEnvelope('v2/insights/summary', { query }),
        state.scope === 'org' ? api('v2/insights/org-knowledge', { query: { limit: 20 } }) : Promise.resolve(null),
      ]);
      if (state.stopped || seq !== state.seq) { return; }
      const who = state.scope === 'org' ? 'the organisation' : (userSelect.selectedOptions[0]?.textContent || 'the user');
      status.textContent = `Showing ${who}, last ${state.days} days.`;
      render(summary, meta, knowledge, who);
    } catch (error) {
      if (seq === state.seq) { status.textContent = ''; replace(content, errorBox(error)); }
    }
  }

  function render(s, meta, knowledge, who) {
    const k = s.key_stats;
    const rising = s.top_topics.filter((t) => t.trend === 'UP');
    const fresh = s.top_topics.filter((t) => t.trend === 'NEW');
    const emergingInsights = s.insights.filter((i) => i.type === 'emerging_theme');
    // The topic figures are counted live over the period shown; the insights were written by the daily insight run over
    // its own window, which may end a day earlier: each says which window it is, so that a trend in one does not seem
    // to contradict the other.
    const live = `Counted now over ${utc(s.period.start).slice(0, 10)} to ${utc(s.period.end).slice(0, 10)} (end exclusive), against the ${state.days} days before.`;
    const stored = meta.insights_period_start && meta.insights_period_end
      ? `Written by the daily insight run over ${utc(meta.insights_period_start).slice(0, 10)} to ${utc(meta.insights_period_end).slice(0, 10)} (end exclusive)`
        + (meta.insights_generated_at ? `, at ${utc(meta.insights_generated_at)}.` : '.')
      : null;
    replace(content,
      h('section', { 'aria-labelledby': 'ins-stats' }, h('h2', { id: 'ins-stats' }, `Key figures (${utc(s.period.start).slice(0, 10)} to ${utc(s.period.end).slice(0, 10)}, end exclusive)`),
        facts([
          ['Questions', `${count(k.total_queries)} (previous period ${count(k.previous_queries)})`],
          ['Topics', count(k.unique_topics)],
          ['Cache hit rate', `${Math.round(k.cache_hit_rate * 100)}%`],
          ['Average cost', k.avg_cost_usd === null ? 'unknown' : `$${k.avg_cost_usd.toFixed(3)} (total $${k.total_cost_usd.toFixed(2)})`],
        ], 'facts facts-inline')),
      h('section', { 'aria-labelledby': 'ins-topics' }, h('h2', { id: 'ins-topics' }, 'Top topics'), h('p', { className: 'muted' }, live),
        s.top_topics.length ? [topicsChart(s.top_topics, `Questions per topic for ${who}: previous and this period`), topicsTable(s.top_topics)] : h('p', null, 'No topics in this period.')),
      h('section', { 'aria-labelledby': 'ins-emerging' }, h('h2', { id: 'ins-emerging' }, 'Emerging and new topics'),
        h('div', { className: 'two-col' },
          h('div', null, h('h3', null, 'Rising'), topicList(rising, 'No topic is rising.')),
          h('div', null, h('h3', null, 'New this period'), topicList(fresh, 'No new topics.'))),
        emergingInsights.length ? [h('h3', null, 'From the stored insights'), stored ? h('p', { className: 'muted' }, stored) : null,
          h('ul', null, emergingInsights.map((i) => h('li', null, h('strong', null, i.title), ': ', i.description)))] : null),
      h('section', { 'aria-labelledby': 'ins-list' }, h('h2', { id: 'ins-list' }, 'Insights'), stored ? h('p', { className: 'muted' }, stored) : null,
        s.insights.length ? h('ul', { className: 'insights' }, s.insights.map((i) => h('li', null,
          h('span', { className: 'tag' }, i.type.replace(/_/g, ' ')), ' ', h('strong', null, i.title), ': ', i.description,
          h('span', { className: 'muted' }, ` (confidence ${Math.round(i.confidence * 100)}%)`)))) : h('p', null, 'No stored insights yet for this scope (insight generation writes them).')),
      h('section', { 'aria-labelledby': 'ins-recs' }, h('h2', { id: 'ins-recs' }, 'Recommendations'),
        s.recommendations.length ? h('ul', null, s.recommendations.map((r) => h('li', null, h('strong', null, r.title), ` (${r.priority}): `, r.detail))) : h('p', null, 'None.')),
      knowledge ? h('section', { 'aria-labelledby': 'ins-knowledge' }, h('h2', { id: 'ins-knowledge' }, 'Organisation knowledge'),
        h('p', { className: 'muted' }, 'Topics asked by several users (counts only; a sample question only when it was public).'),
        knowledge.topics.length ? h('div', { className: 'table-wrap', role: 'region', 'aria-label': 'Organisation knowledge', tabindex: '0' }, knowledgeTable(knowledge.topics))
          : h('p', null, 'No shared topics yet.')) : null);
  }

  sync();
  load();
  return () => { state.stopped = true; clearTimeout(searchTimer); };
}

function topicList(topics, empty) {
  return topics.length ? h('ul', null, topics.map((t) => h('li', null, h('strong', null, t.topic), ` ${trendText(t)} (${count(t.count)} questions)`))) : h('p', null, empty);
}

function topicsTable(topics) {
  return h('div', { className: 'table-wrap', role: 'region', 'aria-label': 'Top topics table', tabindex: '0' },
    h('table', null,
      h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Topic'), h('th', { scope: 'col', className: 'num' }, 'Questions'),
        h('th', { scope: 'col', className: 'num' }, 'Previous'), h('th', { scope: 'col' }, 'Trend'))),
      h('tbody', null, topics.map((t) => h('tr', null, h('td', null, t.topic), h('td', { className: 'num' }, count(t.count)),
        h('td', { className: 'num' }, count(t.previous_count)), h('td', null, trendText(t)))))));
}

function knowledgeTable(topics) {
  return h('table', null,
    h('thead', null, h('tr', null, ['Topic', 'Users', 'Questions', 'Last seen', 'Sample question'].map((c) => h('th', { scope: 'col', className: c === 'Users' || c === 'Questions' ? 'num' : null }, c)))),
    h('tbody', null, topics.map((t) => h('tr', null, h('td', null, t.topic), h('td', { className: 'num' }, count(t.user_count)),
      h('td', { className: 'num' }, count(t.query_count)), h('td', null, utc(t.last_seen).slice(0, 10)), h('td', { className: 'wrap' }, t.sample_question || '—')))));
}
