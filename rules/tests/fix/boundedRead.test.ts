// The helper `no-unbounded-read`'s suggestion inserts: that the TypeScript variant type-checks (a
// real program over a temp file, strict, Node's types; and under the DOM's types for browser
// code), that its result types follow `as`, that the JavaScript variant parses as a script and as a
// module, and that asyncguard's own rules, typed and untyped, find nothing to report in it. What it
// does at run time is proven against a real server in test/bounded-read-proof.test.ts.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vm from 'node:vm';
import { parse } from '@typescript-eslint/typescript-estree';
import type { TSESLint } from '@typescript-eslint/utils';
import { Linter } from 'eslint';
import * as ts from 'typescript';
import { BOUNDED_READ_NAME, boundedReadCall, boundedReadHelper } from '../../src/fix/boundedRead';
import { rules } from '../../src/rules';
import { typedFile, typedRuleTester, untypedRuleTester } from '../ruleTester';

const repoRoot = path.join(__dirname, '..', '..', '..');
const tsHelper = boundedReadHelper({ typescript: true });
const jsHelper = boundedReadHelper({ typescript: false });

/** Calls as the suggestion writes them, on every kind of source, with the result types they must have. */
const nodeUsage = `
import type { IncomingMessage } from 'node:http';
import { request } from 'undici';

export async function use(url: string, req: IncomingMessage): Promise<void> {
  const res = await fetch(url);
  const text: string = await ${boundedReadCall('res', 1024, 'text')};
  const json: unknown = await ${boundedReadCall('res', 1024, 'json')};
  const bytes: Uint8Array = await ${boundedReadCall('res', 1024, 'bytes')};
  const buffer: ArrayBuffer = await ${boundedReadCall('res', 1024, 'arrayBuffer')};
  const { body } = await request(url);
  const fromUndici: string = await ${boundedReadCall('body', 1024, 'text')};
  const fromRequest: unknown = await ${boundedReadCall('req', 1024, 'json')};
  // @ts-expect-error -- 'text' reads a string, not a number
  const wrong: number = await ${boundedReadCall('res', 1024, 'text')};
  // @ts-expect-error -- not a way to read
  await ${boundedReadCall('res', 1024, 'blob')};
  // @ts-expect-error -- a string is not a body
  await ${boundedReadCall("'body'", 1024, 'text')};
  console.log(text, json, bytes, buffer, fromUndici, fromRequest, wrong);
}
`;

const domUsage = `
export async function use(url: string): Promise<void> {
  const res = await fetch(url);
  const text: string = await ${boundedReadCall('res', 1024, 'text')};
  const bytes: Uint8Array = await ${boundedReadCall('res', 1024, 'bytes')};
  // @ts-expect-error -- 'bytes' reads a Uint8Array, not a string
  const wrong: string = await ${boundedReadCall('res', 1024, 'bytes')};
  console.log(text, bytes, wrong);
}
`;

/** Stricter than the project itself: what a user's strict tsconfig may turn on. */
const strictOptions: ts.CompilerOptions = {
  strict: true,
  target: ts.ScriptTarget.ES2022,
  noEmit: true,
  noUnusedLocals: true,
  noUnusedParameters: true,
  noImplicitReturns: true,
  noImplicitOverride: true,
  noUncheckedIndexedAccess: true,
  exactOptionalPropertyTypes: true,
  noPropertyAccessFromIndexSignature: true,
  useUnknownInCatchVariables: true,
  skipLibCheck: true,
};

/** TypeScript's errors for `code` as a file of its own under tmp/ (git-ignored), formatted. */
function typeErrors(code: string, options: ts.CompilerOptions): string[] {
  fs.mkdirSync(path.join(repoRoot, 'tmp'), { recursive: true });
  const dir = fs.mkdtempSync(path.join(repoRoot, 'tmp', 'bounded-read-'));
  try {
    const file = path.join(dir, 'usage.ts');
    fs.writeFileSync(file, code);
    const program = ts.createProgram({ rootNames: [file], options });
    return ts.getPreEmitDiagnostics(program).map((d) => {
      const message = ts.flattenDiagnosticMessageText(d.messageText, '\n');
      if (!d.file || d.start === undefined) return message;
      const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
      return `${path.basename(d.file.fileName)}:${line + 1}:${character + 1} ${message}`;
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('boundedRead helper', () => {
  it('is one async function declaration named readBounded with (source, maxBytes, as), in both variants', () => {
    for (const [text, typescript] of [
      [tsHelper, true],
      [jsHelper, false],
    ] as const) {
      const ast = parse(text, { jsx: false, loc: false, range: false, filePath: typescript ? 'helper.ts' : 'helper.js' });
      assert.equal(ast.body.length, 1);
      const [declaration] = ast.body;
      assert.equal(declaration?.type, 'FunctionDeclaration');
      assert.equal(declaration.id?.name, BOUNDED_READ_NAME);
      assert.ok(declaration.async);
      assert.deepEqual(
        declaration.params.map((param) => param.type === 'Identifier' && param.name),
        ['source', 'maxBytes', 'as'],
      );
      assert.equal(declaration.typeParameters !== undefined, typescript);
    }
    assert.ok(boundedReadHelper({ typescript: false, name: 'readBounded2' }).includes('async function readBounded2('));
  });

  it('writes the call the rule awaits', () => {
    assert.equal(boundedReadCall('res', 1048576, 'text'), "readBounded(res, 1048576, 'text')");
    assert.equal(boundedReadCall('(await fetch(url))', 65536, 'json'), "readBounded((await fetch(url)), 65536, 'json')");
    assert.equal(boundedReadCall('body', 10, 'bytes', 'readBounded2'), "readBounded2(body, 10, 'bytes')");
  });

  it('the JavaScript variant is the TypeScript one without its types', () => {
    // Printed by the same printer once the TypeScript variant's annotations are erased, the two
    // are the same program: they cannot drift apart.
    const erased = ts.transpileModule(tsHelper, {
      compilerOptions: { target: ts.ScriptTarget.ESNext, module: ts.ModuleKind.Preserve },
    }).outputText.replace(/^"use strict";\n/, '');
    const printer = ts.createPrinter({ removeComments: true });
    const print = (code: string) => printer.printFile(ts.createSourceFile('helper.js', code, ts.ScriptTarget.ESNext, false, ts.ScriptKind.JS));
    assert.equal(print(erased), print(jsHelper));
  });

  it('the JavaScript variant parses as a script and as a module, and defines the function', () => {
    const context = vm.createContext({});
    new vm.Script(`${jsHelper}\nthis.helper = ${BOUNDED_READ_NAME};`).runInContext(context);
    assert.equal(typeof (context as { helper?: unknown }).helper, 'function');
    for (const sourceType of ['script', 'commonjs', 'module'] as const) {
      const messages = new Linter({ configType: 'flat' }).verify(jsHelper, [{ languageOptions: { sourceType, ecmaVersion: 2022 } }]);
      assert.deepEqual(messages, [], sourceType);
    }
  });

  it('the TypeScript variant type-checks under strict options with Node types, and `as` picks the result type', function () {
    this.timeout(60_000);
    const errors = typeErrors(`${tsHelper}\n${nodeUsage}`, {
      ...strictOptions,
      module: ts.ModuleKind.Node16,
      moduleResolution: ts.ModuleResolutionKind.Node16,
      lib: ['lib.es2023.d.ts'],
      types: ['node'],
      typeRoots: [path.join(repoRoot, 'node_modules', '@types')],
    });
    assert.deepEqual(errors, []);
  });

  it('the TypeScript variant type-checks in browser code (DOM types, no Node types)', function () {
    this.timeout(60_000);
    const errors = typeErrors(`${tsHelper}\n${domUsage}`, {
      ...strictOptions,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      lib: ['lib.es2023.d.ts', 'lib.dom.d.ts'],
      types: [],
    });
    assert.deepEqual(errors, []);
  });

  it('a misuse is an error (the checks above are not vacuous)', function () {
    this.timeout(60_000);
    const errors = typeErrors(`${tsHelper}\nexport const n: Promise<number> = readBounded(new Response('x'), 1, 'text');\n`, {
      ...strictOptions,
      module: ts.ModuleKind.Node16,
      moduleResolution: ts.ModuleResolutionKind.Node16,
      lib: ['lib.es2023.d.ts'],
      types: ['node'],
      typeRoots: [path.join(repoRoot, 'node_modules', '@types')],
    });
    assert.equal(errors.length, 1);
    assert.match(errors[0]!, /Type 'Promise<string>' is not assignable to type 'Promise<number>'/);
  });
});

// The inserted helper must not itself be reported by any asyncguard rule: a suggestion whose output
// the linter flags again would never settle. Every rule in the registry, typed and untyped.
describe('boundedRead helper under asyncguard rules', () => {
  const tsCode = `${tsHelper}\nexport async function load(url: string): Promise<string> {\n  return ${boundedReadCall('await fetch(url)', 1024, 'text')};\n}\n`;
  const jsCode = `${jsHelper}\nexport async function load(url) {\n  return ${boundedReadCall('await fetch(url)', 1024, 'text')};\n}\n`;
  for (const [name, anyRule] of Object.entries(rules)) {
    // Each rule has its own options type; none is given here, so any rule will do.
    const rule = anyRule as TSESLint.RuleModule<string, readonly unknown[]>;
    typedRuleTester.run(`${name} accepts the bounded-read helper (typed)`, rule, {
      valid: [{ name: 'the helper and its call, TypeScript', code: tsCode, filename: typedFile }],
      invalid: [],
    });
    untypedRuleTester.run(`${name} accepts the bounded-read helper (untyped)`, rule, {
      valid: [
        { name: 'the helper and its call, JavaScript', code: jsCode },
        { name: 'the helper and its call, TypeScript', code: tsCode, filename: 'file.ts' },
      ],
      invalid: [],
    });
  }
});
