import { ESLintUtils } from '@typescript-eslint/utils';

export interface AsyncguardDocs {
  description: string;
  /** Which shipped configs enable the rule: `recommended` (and so `strict`), or only `strict`. */
  recommended?: boolean;
  strict?: boolean;
  requiresTypeChecking?: boolean;
}

/** Every rule is made here so that its docs URL is derived from its name, never typed by hand. */
export const createRule = ESLintUtils.RuleCreator<AsyncguardDocs>(
  (name) => `https://github.com/asyncguard/asyncguard/blob/main/rules/docs/rules/${name}.md`,
);
