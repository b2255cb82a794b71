import { ESLintUtils, type TSESLint } from '@typescript-eslint/utils';
import { isStackOverflow } from './stackOverflow';

export interface AsyncguardDocs {
  description: string;
  /** Which shipped configs enable the rule: `recommended` (and so `strict`), or only `strict`. */
  recommended?: boolean;
  strict?: boolean;
  requiresTypeChecking?: boolean;
}

const ruleCreator = ESLintUtils.RuleCreator<AsyncguardDocs>(
  (name) => `https://github.com/asyncguard/asyncguard/blob/main/rules/docs/rules/${name}.md`,
);

/**
 * Every rule is made here, so that its docs URL is derived from its name, never typed by hand, and
 * so that no rule takes the lint down on a type the checker cannot walk: TypeScript itself can
 * overflow its stack on some recursive generic types (microsoft/TypeScript#49646, #63759). Such a
 * node gets no verdict; every other node and rule goes on.
 */
export const createRule: typeof ruleCreator = (rule) =>
  ruleCreator({
    ...rule,
    create: (context, options) => guardListeners(rule.create(context, options)),
  });

function guardListeners<T extends TSESLint.RuleListener>(listeners: T): T {
  const guarded: Record<string, unknown> = {};
  for (const [selector, listener] of Object.entries(listeners)) {
    if (typeof listener !== 'function') continue;
    guarded[selector] = (...args: unknown[]) => {
      try {
        (listener as (...a: unknown[]) => void)(...args);
      } catch (error) {
        if (!isStackOverflow(error)) throw error;
      }
    };
  }
  return guarded as T;
}
