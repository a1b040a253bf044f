// The dashboard shell: the key, hash routing between the four pages, and focus management on page changes.
import { initKey } from './api.js';
import { jobsPage } from './jobs.js';

initKey();

const view = document.getElementById('view');
const main = document.getElementById('main');
let leave = null;
let firstRender = true;

// The other pages load on first use, so opening the dashboard fetches only what the Jobs page needs.
const routes = [
  [/^jobs$/, async () => jobsPage],
  [/^runs$/, async () => (await import('./runs.js')).runsPage],
  [/^runs\/([0-9a-fA-F-]{36})$/, async () => (await import('./runs.js')).runPage],
  [/^insights$/, async () => (await import('./insights.js')).insightsPage],
  [/^reports$/, async () => (await import('./reports.js')).reportsPage],
  [/^reports\/([0-9a-fA-F-]{36})$/, async () => (await import('./reports.js')).reportPage],
];

const TITLES = { jobs: 'Jobs', runs: 'Runs', insights: 'Insights', reports: 'Reports' };

async function route() {
  const hash = window.location.hash;
  if (hash && !hash.startsWith('#/')) { return; } // an in-page link such as the skip link
  const path = (hash.slice(2) || 'jobs').split('?')[0];
  const match = routes.find(([pattern]) => pattern.test(path));
  if (leave) { leave(); leave = null; }
  const section = path.split('/')[0];
  for (const link of document.querySelectorAll('nav a[data-route]')) {
    if (link.dataset.route === section) { link.setAttribute('aria-current', 'page'); } else { link.removeAttribute('aria-current'); }
  }
  if (!match) {
    view.replaceChildren(Object.assign(document.createElement('h1'), { textContent: 'Not found' }),
      Object.assign(document.createElement('p'), { textContent: 'No such page. Use the menu above.' }));
    return;
  }
  const page = await match[1]();
  const args = path.match(match[0]).slice(1);
  document.title = `${TITLES[section] || 'Dashboard'} · ACMS Jobs`;
  leave = page(view, ...args) || null;
  // Move focus to the new page for keyboard and screen-reader users (not on first load: the user starts at the top).
  if (!firstRender) { main.focus({ preventScroll: false }); }
  firstRender = false;
}

window.addEventListener('hashchange', route);
route();
