/**
 * Small SVG charts for the Allure attachments, drawn from the summary alone (no browser, no chart library on
 * the report's side: Allure shows an SVG attachment inline). Pure string building.
 */

export interface RateSeriesPoint {
  second: number;
  sent: number;
  limited: number;
}

const W = 760;
const H = 360;
const M = { left: 60, right: 60, top: 40, bottom: 62 };
const PW = W - M.left - M.right;
const PH = H - M.top - M.bottom;

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function niceMax(v: number): number {
  if (v <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

function frame(title: string, body: string[], legend: { label: string; color: string; dash?: boolean }[]): string {
  const items = legend.map((l, i) => {
    const x = M.left + i * 170;
    return `<line x1="${x}" y1="${H - 10}" x2="${x + 24}" y2="${H - 10}" stroke="${l.color}" stroke-width="3"${l.dash ? ' stroke-dasharray="6 4"' : ''}/><text x="${x + 30}" y="${H - 6}" font-size="12">${esc(l.label)}</text>`;
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif">`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    `<text x="${W / 2}" y="22" font-size="15" text-anchor="middle" font-weight="bold">${esc(title)}</text>`,
    ...body,
    ...items,
    '</svg>',
  ].join('\n');
}

function polyline(points: [number, number][], color: string, dash = false): string {
  if (points.length === 0) return '';
  return `<polyline fill="none" stroke="${color}" stroke-width="2"${dash ? ' stroke-dasharray="6 4"' : ''} points="${points.map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join(' ')}"/>`;
}

function axes(xMax: number, yMax: number, yLabel: string, y2Label?: string): string[] {
  const out = [`<rect x="${M.left}" y="${M.top}" width="${PW}" height="${PH}" fill="none" stroke="#999"/>`];
  for (let i = 0; i <= 4; i++) {
    const y = M.top + PH - (PH * i) / 4;
    out.push(`<line x1="${M.left}" y1="${y}" x2="${M.left + PW}" y2="${y}" stroke="#eee"/>`);
    out.push(`<text x="${M.left - 6}" y="${y + 4}" font-size="11" text-anchor="end">${+((yMax * i) / 4).toFixed(1)}</text>`);
    if (y2Label) out.push(`<text x="${M.left + PW + 6}" y="${y + 4}" font-size="11">${(25 * i).toFixed(0)}%</text>`);
  }
  const step = Math.max(1, Math.ceil(xMax / 10));
  for (let s = 0; s <= xMax; s += step) {
    const x = M.left + (PW * s) / Math.max(1, xMax);
    out.push(`<text x="${x}" y="${M.top + PH + 16}" font-size="11" text-anchor="middle">${s}</text>`);
  }
  out.push(`<text x="${M.left + PW / 2}" y="${M.top + PH + 32}" font-size="12" text-anchor="middle">seconds into the run</text>`);
  out.push(`<text x="14" y="${M.top + PH / 2}" font-size="12" text-anchor="middle" transform="rotate(-90 14 ${M.top + PH / 2})">${esc(yLabel)}</text>`);
  if (y2Label) out.push(`<text x="${W - 12}" y="${M.top + PH / 2}" font-size="12" text-anchor="middle" transform="rotate(90 ${W - 12} ${M.top + PH / 2})">${esc(y2Label)}</text>`);
  return out;
}

/** ratelimit.ts: offered and accepted request rate per second, the expected limit, and the 429 share. */
export function rateLimitChart(series: readonly RateSeriesPoint[], expected: number, onsetSecond: number | null, lineLabel = 'expected limit'): string {
  const xMax = Math.max(1, series.length);
  const yMax = niceMax(Math.max(expected * 1.1, ...series.map((p) => p.sent)));
  const x = (s: number): number => M.left + (PW * (s + 0.5)) / xMax;
  const y = (v: number): number => M.top + PH - (PH * v) / yMax;
  const yRatio = (r: number): number => M.top + PH - PH * r;
  const body = axes(xMax, yMax, 'requests per second', '429 share');
  body.push(`<line x1="${M.left}" y1="${y(expected)}" x2="${M.left + PW}" y2="${y(expected)}" stroke="#888" stroke-dasharray="6 4"/>`);
  body.push(polyline(series.map((p) => [x(p.second), y(p.sent)]), '#1f77b4'));
  body.push(polyline(series.map((p) => [x(p.second), y(p.sent - p.limited)]), '#2ca02c'));
  body.push(polyline(series.map((p) => [x(p.second), yRatio(p.sent > 0 ? p.limited / p.sent : 0)]), '#d62728'));
  if (onsetSecond !== null) {
    body.push(`<line x1="${x(onsetSecond)}" y1="${M.top}" x2="${x(onsetSecond)}" y2="${M.top + PH}" stroke="#ff7f0e" stroke-width="2"/>`);
    body.push(`<text x="${x(onsetSecond) + 4}" y="${M.top + 14}" font-size="12" fill="#ff7f0e">429 onset</text>`);
  }
  return frame(`Request rate vs 429 share (${lineLabel} ${+expected.toFixed(1)} req/s)`, body, [
    { label: 'offered req/s', color: '#1f77b4' },
    { label: 'accepted req/s', color: '#2ca02c' },
    { label: '429 share', color: '#d62728' },
    { label: lineLabel, color: '#888', dash: true },
  ]);
}

const PERCENTILES = [['med', 'p50'], ['p(90)', 'p90'], ['p(95)', 'p95'], ['p(99)', 'p99']] as const;
const BAR_COLORS = ['#9ecae1', '#6baed6', '#3182bd', '#08519c'];

/** throughput.ts: latency percentiles per endpoint, with the p95 and p99 SLO lines. */
export function latencyChart(byEndpoint: Record<string, Record<string, number>>, slo: { p95: number; p99: number }): string {
  const endpoints = Object.keys(byEndpoint).sort();
  const values = endpoints.flatMap((e) => PERCENTILES.map(([k]) => byEndpoint[e]![k] ?? 0));
  const yMax = niceMax(Math.max(slo.p99 * 1.05, ...values));
  const y = (v: number): number => M.top + PH - (PH * v) / yMax;
  const body: string[] = [`<rect x="${M.left}" y="${M.top}" width="${PW}" height="${PH}" fill="none" stroke="#999"/>`];
  for (let i = 0; i <= 4; i++) {
    const v = (yMax * i) / 4;
    body.push(`<line x1="${M.left}" y1="${y(v)}" x2="${M.left + PW}" y2="${y(v)}" stroke="#eee"/><text x="${M.left - 6}" y="${y(v) + 4}" font-size="11" text-anchor="end">${+v.toFixed(1)}</text>`);
  }
  const group = PW / Math.max(1, endpoints.length);
  const bar = (group * 0.8) / PERCENTILES.length;
  endpoints.forEach((endpoint, gi) => {
    PERCENTILES.forEach(([key], pi) => {
      const v = byEndpoint[endpoint]![key] ?? 0;
      const x = M.left + gi * group + group * 0.1 + pi * bar;
      body.push(`<rect x="${x.toFixed(1)}" y="${y(v).toFixed(1)}" width="${(bar - 2).toFixed(1)}" height="${(M.top + PH - y(v)).toFixed(1)}" fill="${BAR_COLORS[pi]}"><title>${esc(endpoint)} ${PERCENTILES[pi]![1]}: ${v.toFixed(2)} ms</title></rect>`);
    });
    body.push(`<text x="${M.left + gi * group + group / 2}" y="${M.top + PH + 16}" font-size="12" text-anchor="middle">${esc(endpoint)}</text>`);
  });
  for (const [label, v] of [['p95 SLO', slo.p95], ['p99 SLO', slo.p99]] as const) {
    body.push(`<line x1="${M.left}" y1="${y(v)}" x2="${M.left + PW}" y2="${y(v)}" stroke="#d62728" stroke-dasharray="6 4"/><text x="${M.left + PW - 4}" y="${y(v) - 4}" font-size="11" text-anchor="end" fill="#d62728">${label} ${v} ms</text>`);
  }
  body.push(`<text x="14" y="${M.top + PH / 2}" font-size="12" text-anchor="middle" transform="rotate(-90 14 ${M.top + PH / 2})">milliseconds</text>`);
  return frame('Latency percentiles per endpoint', body, PERCENTILES.map(([, label], i) => ({ label, color: BAR_COLORS[i]! })));
}

/** soak.ts: p95 per window across the run. */
export function driftChart(p95ByWindow: readonly (number | null)[], durationSeconds: number, sloP95: number): string {
  const n = p95ByWindow.length;
  const yMax = niceMax(Math.max(sloP95 * 0.2, ...p95ByWindow.map((v) => v ?? 0)) * 1.1);
  const x = (i: number): number => M.left + (PW * (i + 0.5)) / Math.max(1, n);
  const y = (v: number): number => M.top + PH - (PH * v) / yMax;
  const body = axes(durationSeconds, yMax, 'p95 latency (ms)');
  body.push(polyline(p95ByWindow.flatMap((v, i) => (v === null ? [] : [[x(i), y(v)] as [number, number]])), '#3182bd'));
  return frame(`p95 latency per window (${n} windows)`, body, [{ label: 'p95 per window', color: '#3182bd' }]);
}
