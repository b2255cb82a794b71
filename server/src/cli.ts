/**
 * `asyncguard [paths…]`: the command-line front of the engine (same embedded config as the server).
 * Exit codes: 0 no problems, 1 problems found, 2 usage error or crash.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ESLint } from 'eslint';
import { parseCommand, USAGE, UsageError, type Command, type Format } from './cliArgs';
import { createEngine, EngineError, type Engine } from './engine';
import { formatSarif } from './format/sarif';
import { formatStylish } from './format/stylish';
import { product } from './product';

export interface CliIo {
  cwd: string;
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
}

const processIo = (): CliIo => ({ cwd: process.cwd(), stdout: process.stdout, stderr: process.stderr, env: process.env });

/** Runs the CLI and resolves to its exit code; never rejects. */
export async function main(argv: readonly string[] = process.argv.slice(2), io: CliIo = processIo()): Promise<number> {
  try {
    const command = parseCommand(argv);
    switch (command.kind) {
      case 'help':
        io.stdout.write(USAGE);
        return 0;
      case 'version':
        io.stdout.write(`${product.version}\n`);
        return 0;
      case 'lint':
        return await lint(command, io);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`asyncguard: ${error.message} (see asyncguard --help)\n`);
    } else if (error instanceof EngineError) {
      io.stderr.write(`asyncguard: ${error.message}\n`);
    } else {
      const detail = io.env.ASYNCGUARD_DEBUG && error instanceof Error ? `\n${error.stack}` : '';
      io.stderr.write(`asyncguard: ${error instanceof Error ? error.message : String(error)}${detail}\n`);
    }
    return 2;
  }
}

async function lint(command: Extract<Command, { kind: 'lint' }>, io: CliIo): Promise<number> {
  for (const target of command.paths) {
    if (!fs.existsSync(path.resolve(io.cwd, target))) {
      io.stderr.write(`asyncguard: no such file or directory: ${target}\n`);
      return 2;
    }
  }

  const engine = createEngine({ cwd: io.cwd, typed: command.typed, fix: command.fix, concurrency: command.concurrency });
  const results = await engine.lintFiles(command.paths);
  if (results.length === 0) {
    io.stderr.write(`asyncguard: no JavaScript or TypeScript files to lint in ${command.paths.join(', ')}\n`);
    return 2;
  }
  if (command.fix) await engine.outputFixes(results);

  io.stdout.write(await format(command.format, results, engine, io));
  return results.some(hasProblems) ? 1 : 0;
}

async function format(name: Format, results: ESLint.LintResult[], engine: Engine, io: CliIo): Promise<string> {
  switch (name) {
    case 'stylish':
      return formatStylish(results, { cwd: io.cwd, color: useColor(io) });
    case 'json':
      return `${await (await engine.loadFormatter('json')).format(results)}\n`;
    case 'sarif':
      return `${formatSarif(results, {
        cwd: io.cwd,
        rulesMeta: engine.rulesMeta(results),
        tool: { name: product.name, version: product.version, informationUri: product.homepage },
      })}\n`;
  }
}

/** Problems are rule reports and files that failed to parse, not notices such as "file ignored". */
function hasProblems(result: ESLint.LintResult): boolean {
  return result.messages.some((m) => m.ruleId !== null || m.fatal === true);
}

function useColor(io: CliIo): boolean {
  if (io.env.NO_COLOR) return false;
  if (io.env.FORCE_COLOR) return io.env.FORCE_COLOR !== '0';
  return io.stdout.isTTY === true;
}
