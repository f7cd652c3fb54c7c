// Horizontal bar charts as inline SVG: one bar per row, its value written beside it.
import { h } from './dom.js';

/**
 * rows: [{ label, value, max?, text?, className? }] → an SVG. A row's bar spans value/max of the
 * width (max defaults to the largest value, or 100 for percentages when `percent` is set).
 */
export function barChart(rows, { percent = false, label = '' } = {}) {
  const rowHeight = 24;
  const labelWidth = 150;
  const barWidth = 220;
  const width = labelWidth + barWidth + 90;
  const largest = Math.max(1, ...rows.map((r) => r.max ?? r.value ?? 0));
  const svg = h('svg', { class: 'bar-chart', viewBox: `0 0 ${width} ${rows.length * rowHeight}`, role: 'img', 'aria-label': label });
  rows.forEach((row, i) => {
    const y = i * rowHeight;
    const max = row.max ?? (percent ? 100 : largest);
    const share = row.value === null || row.value === undefined ? 0 : Math.min(1, row.value / (max || 1));
    svg.append(
      h('text', { x: labelWidth - 8, y: y + 16, 'text-anchor': 'end', class: 'bar-label' }, row.label),
      h('rect', { x: labelWidth, y: y + 4, width: barWidth, height: rowHeight - 8, class: 'bar-track', rx: 3 }),
      h('rect', { x: labelWidth, y: y + 4, width: Math.round(barWidth * share), height: rowHeight - 8, class: `bar ${row.className ?? ''}`, rx: 3 }),
      h('text', { x: labelWidth + barWidth + 8, y: y + 16, class: 'bar-value' }, row.text ?? '—'),
    );
  });
  return svg;
}

/** A progress bar element for a percentage (null shows an empty bar). */
export function progressBar(percent, text) {
  const value = percent === null || percent === undefined ? 0 : Math.max(0, Math.min(100, percent));
  return h(
    'div',
    { class: 'progress', role: 'progressbar', 'aria-valuemin': 0, 'aria-valuemax': 100, 'aria-valuenow': Math.round(value) },
    h('div', { class: 'progress-fill', style: `width:${value}%` }),
    h('span', { class: 'progress-text' }, text ?? `${Math.round(value)} %`),
  );
}
