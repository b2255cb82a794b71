// The latency chart: one empirical CDF per file × mode, x in ms on a log scale. Hand-written SVG,
// no dependencies.

const WIDTH = 960;
const HEIGHT = 560;
const PLOT = { left: 70, top: 80, right: 720, bottom: 490 };
const COLORS = ['#1b9e77', '#d95f02', '#7570b3', '#e7298a', '#66a61e', '#e6ab02'];
/** Drawn as reference lines: the latency targets (ms) and the p95 level. */
const TARGET_LINES = [
  { ms: 20, label: '20 ms' },
  { ms: 100, label: '100 ms' },
];

/** `series`: [{ label, size, mode, final: [ms], first: [ms] }]; `subtitle`: date and machine. */
export function renderLatencySvg({ title, subtitle, series }) {
  const all = series.flatMap((s) => [...s.final, ...s.first]).filter((ms) => ms > 0);
  const lo = 10 ** Math.floor(Math.log10(Math.min(...all, 10)));
  const hi = 10 ** Math.ceil(Math.log10(Math.max(...all, 100)));
  const x = (ms) => PLOT.left + ((Math.log10(Math.max(ms, lo)) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo))) * (PLOT.right - PLOT.left);
  const y = (fraction) => PLOT.bottom - fraction * (PLOT.bottom - PLOT.top);
  const sizes = [...new Set(series.map((s) => s.size))];
  const colorOf = (s) => COLORS[sizes.indexOf(s.size) % COLORS.length];
  const drawFirst = series.some((s) => s.first.some((ms, i) => ms !== s.final[i]));

  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="system-ui, sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
    text(WIDTH / 2, 26, title, { size: 16, weight: 'bold' }),
    text(WIDTH / 2, 46, subtitle, { fill: '#555' }),
    ...xAxis(lo, hi, x),
    ...yAxis(y),
    ...TARGET_LINES.filter(({ ms }) => ms > lo && ms < hi).map(({ ms, label }) => referenceLine(x(ms), PLOT.top, x(ms), PLOT.bottom, `target ${label}`, 'x')),
    referenceLine(PLOT.left, y(0.95), PLOT.right, y(0.95), 'p95', 'y'),
    ...series.map((s) => stepPath(s.final, x, y, colorOf(s), s.mode === 'typed' ? '' : '7 4', 2.2)),
    ...(drawFirst ? series.map((s) => stepPath(s.first, x, y, colorOf(s), '1 3', 1.2)) : []),
    ...legend(series, colorOf, drawFirst),
    '</svg>',
  ];
  return `${parts.join('\n')}\n`;
}

function xAxis(lo, hi, x) {
  const parts = [line(PLOT.left, PLOT.bottom, PLOT.right, PLOT.bottom, '#333')];
  for (let decade = lo; decade < hi * 1.001; decade *= 10) {
    for (const step of [1, 2, 5]) {
      const ms = decade * step;
      if (ms > hi * 1.001) break;
      const px = x(ms);
      parts.push(line(px, PLOT.top, px, PLOT.bottom, step === 1 ? '#ddd' : '#f0f0f0'));
      parts.push(line(px, PLOT.bottom, px, PLOT.bottom + 5, '#333'));
      parts.push(text(px, PLOT.bottom + 18, formatMs(ms)));
    }
  }
  parts.push(text((PLOT.left + PLOT.right) / 2, PLOT.bottom + 42, 'latency: didChange → publishDiagnostics of that version (ms, log scale)', { size: 13 }));
  return parts;
}

function yAxis(y) {
  const parts = [line(PLOT.left, PLOT.top, PLOT.left, PLOT.bottom, '#333')];
  for (const fraction of [0, 0.25, 0.5, 0.75, 1]) {
    parts.push(line(PLOT.left, y(fraction), PLOT.right, y(fraction), '#ddd'));
    parts.push(text(PLOT.left - 8, y(fraction) + 4, fraction.toFixed(2), { anchor: 'end' }));
  }
  const cx = 22;
  const cy = (PLOT.top + PLOT.bottom) / 2;
  parts.push(`<text x="${cx}" y="${cy}" text-anchor="middle" font-size="13" transform="rotate(-90 ${cx} ${cy})">fraction of edits at or below x</text>`);
  return parts;
}

function referenceLine(x1, y1, x2, y2, label, axis) {
  // Target labels above the plot, where no curve runs.
  const labelAt = axis === 'x' ? text(x1, y1 - 6, label, { fill: '#b00', size: 11 }) : text(x2 - 4, y1 - 4, label, { anchor: 'end', fill: '#b00', size: 11 });
  return `<line x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}" stroke="#b00" stroke-width="1" stroke-dasharray="3 3"/>\n${labelAt}`;
}

/** The empirical CDF as a step path: after the i-th smallest value, i/n of the edits are at or below it. */
function stepPath(values, x, y, color, dash, width) {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  const d = [`M${x(sorted[0]).toFixed(1)},${y(0).toFixed(1)}`];
  sorted.forEach((ms, i) => d.push(`H${x(ms).toFixed(1)}V${y((i + 1) / n).toFixed(1)}`));
  return `<path d="${d.join('')}" fill="none" stroke="${color}" stroke-width="${width}"${dash ? ` stroke-dasharray="${dash}"` : ''}/>`;
}

function legend(series, colorOf, drawFirst) {
  const left = PLOT.right + 24;
  const parts = [text(left, PLOT.top + 4, 'file (lines) · mode', { anchor: 'start', weight: 'bold' })];
  series.forEach((s, i) => {
    const top = PLOT.top + 26 + i * 22;
    parts.push(`<line x1="${left}" y1="${top - 4}" x2="${left + 34}" y2="${top - 4}" stroke="${colorOf(s)}" stroke-width="2.2"${s.mode === 'typed' ? '' : ' stroke-dasharray="7 4"'}/>`);
    parts.push(text(left + 42, top, s.label, { anchor: 'start' }));
  });
  const notesTop = PLOT.top + 26 + series.length * 22 + 12;
  const notes = ['solid: typed (tsconfig project)', 'dashed: untyped (no tsconfig)', drawFirst ? 'dotted: first publish of a version' : 'lines: final publish of a version', drawFirst ? 'thick: final publish' : '(first = final: one publish per version)'];
  notes.forEach((note, i) => parts.push(text(left, notesTop + i * 18, note, { anchor: 'start', fill: '#555', size: 11 })));
  return parts;
}

function line(x1, y1, x2, y2, stroke) {
  return `<line x1="${x1.toFixed(1)}" y1="${y1.toFixed(1)}" x2="${x2.toFixed(1)}" y2="${y2.toFixed(1)}" stroke="${stroke}" stroke-width="1"/>`;
}

function text(x, y, content, { anchor = 'middle', size, weight, fill } = {}) {
  const attributes = [`x="${x.toFixed(1)}"`, `y="${y.toFixed(1)}"`, `text-anchor="${anchor}"`];
  if (size) attributes.push(`font-size="${size}"`);
  if (weight) attributes.push(`font-weight="${weight}"`);
  if (fill) attributes.push(`fill="${fill}"`);
  return `<text ${attributes.join(' ')}>${escapeXml(content)}</text>`;
}

function formatMs(ms) {
  return ms >= 1000 ? `${ms / 1000} s` : ms >= 1 ? String(ms) : ms.toFixed(1);
}

function escapeXml(value) {
  return String(value).replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]);
}
