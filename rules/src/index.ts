import type { TSESLint } from '@typescript-eslint/utils';
import { rules } from './rules';

// Read at runtime so meta.version never drifts from the published package.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { name, version } = require('../package.json') as { name: string; version: string };

type Plugin = {
  meta: { name: string; version: string };
  rules: typeof rules;
  configs: { recommended: TSESLint.FlatConfig.Config };
};

const plugin: Plugin = {
  meta: { name, version },
  rules,
  configs: {} as Plugin['configs'],
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
