// Small statistics, and the reading of ESLint's `stats: true` times.
import { ruleGroup } from './configs.mjs';

export function median(values) {
  const sorted = [...values].sort((x, y) => x - y);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Nearest-rank percentile (p in 0..100): an observed value, never an interpolation. */
export function percentile(values, p) {
  const sorted = [...values].sort((x, y) => x - y);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1];
}

/** `{ median, min, max }` of the runs' values. */
export function spread(values) {
  return { median: median(values), min: Math.min(...values), max: Math.max(...values) };
}

/**
 * Sums ESLint's per-file times over results: `{ parse, verify, rules: { [ruleId]: ms }, groups: { [group]: ms } }`.
 * Per file, `stats.times.passes` has one entry per fix pass (one here: no fixing), each with
 * `parse.total`, `rules[ruleId].total` (the rule's create() and listeners, so for typed rules also the
 * type-checker work they trigger) and `total` (the whole verify of that pass).
 */
export function sumTimes(results) {
  const sums = { parse: 0, verify: 0, rules: {}, groups: {} };
  for (const result of results) {
    for (const pass of result.stats?.times.passes ?? []) {
      sums.parse += pass.parse?.total ?? 0;
      sums.verify += pass.total ?? 0;
      for (const [ruleId, { total }] of Object.entries(pass.rules ?? {})) {
        sums.rules[ruleId] = (sums.rules[ruleId] ?? 0) + total;
        const group = ruleGroup(ruleId);
        sums.groups[group] = (sums.groups[group] ?? 0) + total;
      }
    }
  }
  return sums;
}
