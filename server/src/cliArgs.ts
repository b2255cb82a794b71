import { parseArgs } from 'node:util';
import type { Concurrency, TypedMode } from './engine';

export const FORMATS = ['stylish', 'json', 'sarif'] as const;
export type Format = (typeof FORMATS)[number];

export type Command =
  | { kind: 'help' }
  | { kind: 'version' }
  | { kind: 'lint'; paths: string[]; fix: boolean; format: Format; typed: TypedMode; concurrency: Concurrency };

/** A mistake in the command line; the CLI prints `message` on one line and exits 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export const USAGE = `Usage: asyncguard [options] [paths...]

Lint JavaScript and TypeScript files for async bugs (unawaited promises, unclosed
resources, semaphore misuse, unbounded reads). No configuration needed: paths
default to the current directory; node_modules, dist and build outputs are skipped.

Options:
  --fix                       Apply safe autofixes to the files
  --format <name>             stylish (default), json or sarif
  --typed                     Require type information (fails without a tsconfig.json)
  --no-typed                  Lint without type information (faster)
                              Default: typed when a tsconfig.json is found at or above a path
  --concurrency <n|auto|off>  ESLint worker threads (default: off)
  -h, --help                  Show this help
  -v, --version               Show the version

Exit codes: 0 no problems, 1 problems found, 2 usage error or crash.
`;

const OPTIONS = {
  fix: { type: 'boolean' },
  format: { type: 'string' },
  typed: { type: 'boolean' },
  concurrency: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;

export function parseCommand(argv: readonly string[]): Command {
  // strict: false so that unknown options reach us as tokens and get our own one-line message.
  const { values, positionals, tokens } = parseArgs({
    args: [...argv],
    options: OPTIONS,
    strict: false,
    allowPositionals: true,
    allowNegative: true,
    tokens: true,
  });
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    const known = Object.hasOwn(OPTIONS, token.name) && (!token.rawName.startsWith('--no-') || token.name === 'typed');
    if (!known) throw new UsageError(`unknown option ${token.rawName}`);
    const type = OPTIONS[token.name as keyof typeof OPTIONS].type;
    if (type === 'string' && token.value === undefined) throw new UsageError(`option ${token.rawName} needs a value`);
    if (type === 'boolean' && token.inlineValue) throw new UsageError(`option ${token.rawName} takes no value`);
  }

  if (values.help) return { kind: 'help' };
  if (values.version) return { kind: 'version' };

  const format = (values.format as string | undefined) ?? 'stylish';
  if (!isFormat(format)) throw new UsageError(`unknown format "${format}" (expected ${FORMATS.join(', ')})`);

  return {
    kind: 'lint',
    paths: positionals.length > 0 ? positionals : ['.'],
    fix: values.fix === true,
    format,
    typed: values.typed === undefined ? 'auto' : values.typed ? 'on' : 'off',
    concurrency: parseConcurrency(values.concurrency as string | undefined),
  };
}

function isFormat(value: string): value is Format {
  return (FORMATS as readonly string[]).includes(value);
}

function parseConcurrency(value: string | undefined): Concurrency {
  if (value === undefined || value === 'off') return 'off';
  if (value === 'auto') return 'auto';
  if (/^[1-9]\d*$/u.test(value)) return Number(value);
  throw new UsageError(`bad --concurrency "${value}" (expected a positive number, auto or off)`);
}
