import type { TSESLint } from '@typescript-eslint/utils';
import { rules } from './rules';
import type { AsyncguardDocs } from './util/createRule';
import { relatedLocations } from './util/relatedLocations';

// Read at runtime so meta.version never drifts from the published package.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { name, version } = require('../package.json') as { name: string; version: string };

type Plugin = {
  meta: { name: string; version: string };
  rules: typeof rules;
  configs: { recommended: TSESLint.FlatConfig.Config; strict: TSESLint.FlatConfig.Config };
  /** For editors: the secondary locations of the last lint's reports in a file (not part of ESLint's API). */
  relatedLocations: typeof relatedLocations;
};

const plugin: Plugin = {
  meta: { name, version },
  rules,
  configs: {} as Plugin['configs'],
  relatedLocations,
};

/** `asyncguard/<rule>: 'error'` for every rule whose docs say it belongs to the config. */
function ruleEntries(belongs: (docs: AsyncguardDocs | undefined) => boolean): TSESLint.FlatConfig.Rules {
  return Object.fromEntries(
    Object.entries(rules)
      .filter(([, rule]) => belongs(rule.meta.docs))
      .map(([ruleName]) => [`asyncguard/${ruleName}`, 'error']),
  );
}

// The configs refer to the plugin object itself, the shape ESLint's flat config expects.
plugin.configs.recommended = {
  name: 'asyncguard/recommended',
  plugins: { asyncguard: plugin as unknown as TSESLint.FlatConfig.Plugin },
  rules: ruleEntries((docs) => docs?.recommended === true),
};

// Everything in recommended, plus the rules that are right for most code but not for all
// (`no-unbounded-concurrency`: a fan-out over a small list is sometimes the point).
plugin.configs.strict = {
  name: 'asyncguard/strict',
  plugins: { asyncguard: plugin as unknown as TSESLint.FlatConfig.Plugin },
  rules: ruleEntries((docs) => docs?.recommended === true || docs?.strict === true),
};

export = plugin;
