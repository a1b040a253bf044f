// Builds DOM from data with text nodes and attributes only, so no text from the API is ever parsed as markup.
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) { continue; }
    if (name.startsWith('on') && typeof value === 'function') {
      el.addEventListener(name.slice(2), value);
    } else if (name === 'className') {
      el.className = value;
    } else if (value === true) {
      el.setAttribute(name, '');
    } else {
      el.setAttribute(name, String(value));
    }
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) { continue; }
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

export function replace(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

const SVG_NS = 'http://www.w3.org/2000/svg';

export function svg(tag, attrs, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value !== undefined && value !== null) { el.setAttribute(name, String(value)); }
  }
  for (const child of children.flat(Infinity)) {
    if (child !== undefined && child !== null && child !== false) {
      el.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
  }
  return el;
}

/** 2026-11-30 14:05 UTC: schedules are UTC, so every time on the dashboard is too. */
export function utc(value, seconds = false) {
  if (!value) { return '—'; }
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) { return String(value); }
  const iso = d.toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, seconds ? 19 : 16)} UTC`;
}

export function timeEl(value, seconds = false) {
  return value ? h('time', { datetime: new Date(value).toISOString() }, utc(value, seconds)) : '—';
}

/** "in 3 h", "5 min ago". */
export function relative(value, now = Date.now()) {
  if (!value) { return ''; }
  const diff = new Date(value).getTime() - now;
  const abs = Math.abs(diff);
  const units = [[86400000, 'd'], [3600000, 'h'], [60000, 'min'], [1000, 's']];
  for (const [size, unit] of units) {
    if (abs >= size) {
      const n = Math.round(abs / size);
      return diff >= 0 ? `in ${n} ${unit}` : `${n} ${unit} ago`;
    }
  }
  return 'now';
}

export function duration(ms) {
  if (ms === undefined || ms === null) { return '—'; }
  if (ms < 1000) { return `${Math.round(ms)} ms`; }
  if (ms < 60000) { return `${(ms / 1000).toFixed(1)} s`; }
  const minutes = Math.floor(ms / 60000);
  return `${minutes} min ${Math.round((ms % 60000) / 1000)} s`;
}

export function count(n) {
  return n === undefined || n === null ? '—' : Number(n).toLocaleString('en-US');
}

/** The random tail of a run id: ids are UUIDv7, so their first digits are the same for runs started close together. */
export function shortId(id) {
  return id ? `…${String(id).slice(-8)}` : '';
}

export function badge(status) {
  const text = status || 'none';
  return h('span', { className: `badge badge-${text.replace(/[^a-z_]/g, '')}` }, text);
}

/** A definition list from [term, value] pairs. */
export function facts(pairs, className = 'facts') {
  return h('dl', { className }, pairs.filter(Boolean).map(([term, value]) => [h('dt', null, term), h('dd', null, value)]));
}

export function errorBox(error) {
  return h('p', { className: 'error', role: 'alert' }, error && error.message ? error.message : String(error));
}

/** Reads and writes the query part of a hash route (#/runs?job=decay). */
export function routeQuery() {
  const hash = window.location.hash;
  const q = hash.indexOf('?');
  return new URLSearchParams(q >= 0 ? hash.slice(q + 1) : '');
}

export function setRouteQuery(path, params) {
  const clean = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') { clean.set(k, v); }
  }
  const text = clean.toString();
  window.history.replaceState(window.history.state, '', `${window.location.pathname}${window.location.search}#/${path}${text ? `?${text}` : ''}`);
}

let noticeTimer = 0;
/** The page-wide polite live region: answers of async actions are announced there. */
export function notify(message, kind = 'info') {
  const el = document.getElementById('notice');
  clearTimeout(noticeTimer);
  el.className = `notice notice-${kind}`;
  el.textContent = message;
  noticeTimer = setTimeout(() => { el.textContent = ''; el.className = 'notice'; }, 15000);
}
