import type { TSESLint } from '@typescript-eslint/utils';
import { rules } from './rules';
import { relatedLocations } from './util/relatedLocations';

// Read at runtime so meta.version never drifts from the published package.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { name, version } = require('../package.json') as { name: string; version: string };

type Plugin = {
  meta: { name: string; version: string };
  rules: typeof rules;
  configs: { recommended: TSESLint.FlatConfig.Config };
  /** For editors: the secondary locations of the last lint's reports in a file (not part of ESLint's API). */
  relatedLocations: typeof relatedLocations;
};

const plugin: Plugin = {
  meta: { name, version },
  rules,
  configs: {} as Plugin['configs'],
  relatedLocations,
};

// The config refers to the plugin object itself, the shape ESLint's flat config expects.
plugin.configs.recommended = {
  name: 'asyncguard/recommended',
  plugins: { asyncguard: plugin as unknown as TSESLint.FlatConfig.Plugin },
  rules: Object.fromEntries(
    Object.entries(rules)
      .filter(([, rule]) => rule.meta.docs?.recommended)
      .map(([ruleName]) => [`asyncguard/${ruleName}`, 'error']),
  ),
};

export = plugin;
