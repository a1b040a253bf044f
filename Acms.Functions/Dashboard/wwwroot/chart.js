// The top-topics chart: inline SVG built here (no library). Per topic the previous period (grey) above this period
// (blue), the count, and the trend as an arrow and a percentage, so colour is never the only cue.
import { h, svg } from './dom.js';

const ARROWS = { UP: '▲', DOWN: '▼', STABLE: '→', NEW: '★' };

export function trendText(topic) {
  const arrow = ARROWS[topic.trend] || '';
  if (topic.trend === 'NEW') { return `${arrow} new`; }
  const pct = topic.trend_percent;
  const sign = pct > 0 ? '+' : pct < 0 ? '−' : '';
  return pct === null || pct === undefined ? `${arrow} ${topic.trend.toLowerCase()}` : `${arrow} ${sign}${Math.abs(Math.round(pct))}%`;
}

let chartCount = 0;

export function topicsChart(topics, caption) {
  chartCount += 1;
  const id = `topics-chart-${chartCount}`;
  const label = 170;
  const bars = 330;
  const tail = 110;
  const row = 34;
  const width = label + bars + tail;
  const height = Math.max(1, topics.length) * row + 8;
  const max = Math.max(1, ...topics.map((t) => Math.max(t.count, t.previous_count)));
  const rows = topics.map((t, i) => {
    const y = 4 + i * row;
    const prev = Math.round((bars * t.previous_count) / max);
    const cur = Math.max(1, Math.round((bars * t.count) / max));
    const name = t.topic.length > 24 ? `${t.topic.slice(0, 23)}…` : t.topic;
    return svg('g', { class: `trend-${String(t.trend).toLowerCase()}` },
      svg('text', { x: label - 8, y: y + 17, 'text-anchor': 'end', class: 'chart-label' }, name),
      svg('rect', { x: label, y: y + 2, width: prev, height: 8, class: 'bar-previous' }),
      svg('rect', { x: label, y: y + 11, width: cur, height: 14, class: 'bar-current' }),
      svg('text', { x: label + cur + 6, y: y + 23, class: 'chart-value' }, `${t.count}`),
      svg('text', { x: width - 4, y: y + 23, 'text-anchor': 'end', class: 'chart-trend' }, trendText(t)));
  });
  const chart = svg('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-labelledby': `${id}-title`, class: 'chart', id },
    svg('title', { id: `${id}-title` }, caption), rows);
  return h('figure', { className: 'chart-figure' },
    chart,
    h('figcaption', null,
      h('span', { className: 'legend legend-previous' }, 'previous period'), ' ',
      h('span', { className: 'legend legend-current' }, 'this period'), ' · ▲ rising · ▼ falling · → stable · ★ new'));
}
