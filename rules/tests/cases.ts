import type { InvalidTestCase } from '@typescript-eslint/rule-tester';
import { span } from './span';

/** One expected report: the exact text it covers, its data, and each suggestion as one edit of the code. */
export interface Expect<MessageId extends string> {
  messageId: MessageId;
  /** The exact text the report covers. */
  text: string;
  occurrence?: number;
  data?: Record<string, string>;
  /** Each suggestion as [messageId, [text to replace, replacement]] applied to the code once. */
  suggest?: [MessageId, [string, string]][];
}

/**
 * An invalid case whose reports are stated as the text they cover and the edits they suggest —
 * what the user sees, turned into RuleTester's numbers and outputs. Shared by the rules' tests.
 */
export function invalidCase<MessageId extends string, Options extends readonly unknown[]>(
  code: string,
  expects: Expect<MessageId>[],
  options?: Options[0],
): InvalidTestCase<MessageId, Options> {
  return {
    code,
    ...(options ? { options: [options] as unknown as Options } : {}),
    errors: expects.map((expect) => ({
      messageId: expect.messageId,
      ...span(code, expect.text, expect.occurrence),
      ...(expect.data ? { data: expect.data } : {}),
      suggestions: (expect.suggest ?? []).map(([messageId, [from, to]]) => {
        if (!code.includes(from)) throw new Error(`suggestion source ${JSON.stringify(from)} is not in the code`);
        return { messageId, output: code.replace(from, to) };
      }),
    })),
  };
}

/**
 * The edit that moves the single-line statements after a declaration (`lines`, as written, in a
 * block at `indent`) into a `try` whose `finally` runs `release`; the release statements among them
 * (`dropped`) are left out, since the `finally` now does it. (`rules/src/fix/tryFinally.ts`.)
 */
export function tryFinallyEdit<MessageId extends string>(
  messageId: MessageId,
  lines: string[],
  release: string,
  { indent = '  ', dropped = [] as string[] } = {},
): [MessageId, [string, string]] {
  const moved = lines.filter((line) => !dropped.includes(line));
  return [
    messageId,
    [
      lines.join(`\n${indent}`),
      `try {\n${moved.map((line) => `${indent}  ${line}`).join('\n')}\n${indent}} finally {\n${indent}  ${release};\n${indent}}`,
    ],
  ];
}
