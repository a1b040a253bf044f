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

// Each topic's name stands on its own line above its bars, from the left edge: a name in a column beside the bars had
// about 160 px and a long one ("retrieval-augmented-generation") was cut at both ends. A name is shortened only past
// what the line holds beside the trend, and the full name is the row's tooltip.
const MAX_NAME = 56;

export function topicsChart(topics, caption) {
  chartCount += 1;
  const id = `topics-chart-${chartCount}`;
  const bars = 500;
  const tail = 110;
  const row = 46;
  const width = bars + tail;
  const height = Math.max(1, topics.length) * row + 6;
  const max = Math.max(1, ...topics.map((t) => Math.max(t.count, t.previous_count)));
  const rows = topics.map((t, i) => {
    const y = 4 + i * row;
    const prev = Math.round((bars * t.previous_count) / max);
    const cur = Math.max(1, Math.round((bars * t.count) / max));
    const name = t.topic.length > MAX_NAME ? `${t.topic.slice(0, MAX_NAME - 1)}…` : t.topic;
    return svg('g', { class: `trend-${String(t.trend).toLowerCase()}` },
      svg('title', null, t.topic),
      svg('text', { x: 0, y: y + 13, class: 'chart-label' }, name),
      svg('text', { x: width - 4, y: y + 13, 'text-anchor': 'end', class: 'chart-trend' }, trendText(t)),
      svg('rect', { x: 0, y: y + 19, width: prev, height: 7, class: 'bar-previous' }),
      svg('rect', { x: 0, y: y + 27, width: cur, height: 12, class: 'bar-current' }),
      svg('text', { x: cur + 6, y: y + 38, class: 'chart-value' }, `${t.count}`));
  });
  const chart = svg('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-labelledby': `${id}-title`, class: 'chart', id },
    svg('title', { id: `${id}-title` }, caption), rows);
  return h('figure', { className: 'chart-figure' },
    chart,
    h('figcaption', null,
      h('span', { className: 'legend legend-previous' }, 'previous period'), ' ',
      h('span', { className: 'legend legend-current' }, 'this period'), ' · ▲ rising · ▼ falling · → stable · ★ new'));
}
