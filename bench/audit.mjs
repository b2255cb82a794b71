// `npm run bench:audit`: the precision audit. Runs `configs.recommended` over the sources of real
// packages (bench/package.json, exact versions) — typed where the corpus type-checks, untyped
// otherwise — and writes every finding, with the verdict a person gave it, to bench/AUDIT.md.
//
// Verdicts live in bench/audit/verdicts.json, keyed `package-relative/path.js:line:rule`:
//   { "verdict": "bug" | "worth-flagging" | "false-positive", "why": "one line" , "test"?: "where the regression test is" }
// A finding without a verdict is listed as "unjudged" and makes the run fail (exit 1), as does a
// false-positive share above 5%. A verdict whose finding is no longer reported is listed apart: for a
// false positive that is a fix (its regression test is named), for anything else a lost finding.
//
//   node bench/audit.mjs [--write-pending]
//     --write-pending   add every unjudged finding to verdicts.json with verdict "" (for judging by hand)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { BENCH, NODE_MODULES, TYPED_CORPORA, installedVersion, sourceTypeOf } from './lib/corpora.mjs';
import { countLines, createLinter, lintText, recommendedConfig } from './lib/lintFile.mjs';
import { createTypeChecker } from './lib/typecheck.mjs';
import { installCorpora } from './install.mjs';

const VERDICTS = path.join(BENCH, 'audit', 'verdicts.json');
const AUDIT_MD = path.join(BENCH, 'AUDIT.md');
const VERDICT_NAMES = { bug: 'real bug', 'worth-flagging': 'acceptable, worth flagging', 'false-positive': 'false positive' };
const MAX_FALSE_POSITIVE_SHARE = 0.05;

/**
 * The audited packages: their own sources, one build each (no tests, no second copy of the same code
 * compiled to another module format). `typed` names a corpus of TYPED_CORPORA.
 */
const AUDITED = [
  { pkg: 'mongodb', paths: ['src'], typed: 'mongodb' },
  { pkg: '@grpc/grpc-js', paths: ['src'], typed: '@grpc/grpc-js' },
  { pkg: 'undici', paths: ['index.js', 'index-fetch.js', 'lib'] },
  { pkg: 'pg', paths: ['lib'] },
  { pkg: 'pg-pool', paths: ['index.js'] },
  { pkg: 'mysql2', paths: ['index.js', 'promise.js', 'lib'] },
  { pkg: 'ioredis', paths: ['built'] },
  { pkg: 'knex', paths: ['lib'] },
  { pkg: 'ws', paths: ['index.js', 'lib'] },
  { pkg: 'kafkajs', paths: ['index.js', 'src'] },
  { pkg: 'amqplib', paths: ['channel_api.js', 'callback_api.js', 'lib'] },
  { pkg: 'generic-pool', paths: ['index.js', 'lib'] },
  { pkg: 'p-queue', paths: ['dist'] },
  { pkg: 'bottleneck', paths: ['lib'] },
  { pkg: 'got', paths: ['dist/source'] },
  { pkg: 'bullmq', paths: ['dist/cjs'] },
  { pkg: 'fastify', paths: ['fastify.js', 'lib'] },
  { pkg: 'mongoose', paths: ['lib'] },
  { pkg: 'sequelize', paths: ['lib'] },
];

const TEST_FILE = /(^|\/)(tests?|__tests__|__mocks__|testHelpers|fixtures?)(\/|$)|\.(spec|test)\.[cm]?[jt]s$/;
const SOURCE_FILE = /\.[cm]?[jt]s$/;
const DECLARATION = /\.d\.[cm]?ts$/;

function listSources({ pkg, paths }) {
  const root = path.join(NODE_MODULES, pkg);
  const files = [];
  const walk = (full) => {
    const stat = fs.statSync(full, { throwIfNoEntry: false });
    if (!stat) throw new Error(`bench:audit: ${path.relative(NODE_MODULES, full)} is missing; is bench/node_modules installed?`);
    if (stat.isDirectory()) {
      for (const name of fs.readdirSync(full)) if (name !== 'node_modules') walk(path.join(full, name));
      return;
    }
    const relative = path.relative(root, full).split(path.sep).join('/');
    if (SOURCE_FILE.test(full) && !DECLARATION.test(full) && !TEST_FILE.test(relative)) files.push(full);
  };
  for (const p of paths) walk(path.join(root, p));
  return files.sort();
}

/** `pkg/relative/path.js` with forward slashes: the key of a finding, stable across machines. */
function keyPath(file) {
  return path.relative(NODE_MODULES, file).split(path.sep).join('/');
}

function lintPackage(entry, linter) {
  const files = listSources(entry);
  const findings = [];
  let lines = 0;
  let typedProgram = null;
  if (entry.typed) {
    const corpus = TYPED_CORPORA.find((c) => c.packageName === entry.typed);
    typedProgram = createTypeChecker(corpus.tsconfig).program();
  }
  for (const file of files) {
    const text = typedProgram?.getSourceFile(file)?.text ?? fs.readFileSync(file, 'utf8');
    lines += countLines(text);
    const typed = typedProgram?.getSourceFile(file) !== undefined;
    const sourceType = sourceTypeOf(file);
    const config = recommendedConfig(sourceType, typed ? { programs: [typedProgram] } : {});
    const lint = lintText(linter, text, file, config);
    if (lint.crash) throw new Error(`bench:audit: ${keyPath(file)} crashed: ${lint.crash.message}`);
    if (lint.parseError) continue;
    const sourceLines = text.split('\n');
    for (const message of lint.messages) {
      findings.push({
        key: `${keyPath(file)}:${message.line}:${message.ruleId.replace('asyncguard/', '')}`,
        pkg: entry.pkg,
        file: keyPath(file),
        line: message.line,
        rule: message.ruleId.replace('asyncguard/', ''),
        message: message.message,
        code: (sourceLines[message.line - 1] ?? '').trim().slice(0, 120),
        typed,
      });
    }
  }
  return { files: files.length, lines, findings };
}

function readVerdicts() {
  if (!fs.existsSync(VERDICTS)) return {};
  return JSON.parse(fs.readFileSync(VERDICTS, 'utf8'));
}

function main() {
  const { values } = parseArgs({ options: { 'write-pending': { type: 'boolean', default: false } } });
  installCorpora();
  const linter = createLinter();
  const packages = [];
  const findings = [];
  for (const entry of AUDITED) {
    process.stderr.write(`bench:audit: ${entry.pkg}${entry.typed ? ' (typed)' : ''}...\n`);
    const result = lintPackage(entry, linter);
    packages.push({ ...entry, version: installedVersion(entry.pkg), files: result.files, lines: result.lines, findings: result.findings.length });
    findings.push(...result.findings);
  }
  const verdicts = readVerdicts();
  // Two reports of one rule on one line share a key: judged once, counted once per report.
  const reported = new Set(findings.map((f) => f.key));
  if (values['write-pending']) {
    for (const f of findings) verdicts[f.key] ??= { verdict: '', why: '', message: f.message, code: f.code };
    fs.mkdirSync(path.dirname(VERDICTS), { recursive: true });
    fs.writeFileSync(VERDICTS, JSON.stringify(sortKeys(verdicts), null, 2) + '\n');
  }
  const report = summarize(packages, findings, verdicts, reported);
  const markdown = render(report);
  fs.writeFileSync(AUDIT_MD, markdown);
  console.log(markdown.split('\n## Every finding')[0]);
  if (report.unjudged > 0 || report.falsePositiveShare > MAX_FALSE_POSITIVE_SHARE) process.exitCode = 1;
}

function sortKeys(object) {
  return Object.fromEntries(Object.entries(object).sort(([a], [b]) => (a < b ? -1 : 1)));
}

function summarize(packages, findings, verdicts, reported) {
  const counts = { bug: 0, 'worth-flagging': 0, 'false-positive': 0, unjudged: 0 };
  const byRule = {};
  for (const f of findings) {
    const verdict = VERDICT_NAMES[verdicts[f.key]?.verdict] ? verdicts[f.key].verdict : 'unjudged';
    counts[verdict] += 1;
    byRule[f.rule] ??= { bug: 0, 'worth-flagging': 0, 'false-positive': 0, unjudged: 0 };
    byRule[f.rule][verdict] += 1;
  }
  const gone = Object.entries(verdicts)
    .filter(([key, v]) => !reported.has(key) && v.verdict)
    .map(([key, v]) => ({ key, ...v }));
  return {
    date: new Date().toISOString().slice(0, 10),
    machine: `Node ${process.version} · ${os.cpus()[0]?.model.trim() ?? 'unknown CPU'} · nproc ${os.availableParallelism()}`,
    packages,
    findings,
    verdicts,
    counts,
    byRule,
    unjudged: counts.unjudged,
    falsePositiveShare: findings.length === 0 ? 0 : counts['false-positive'] / findings.length,
    fixedFalsePositives: gone.filter((g) => g.verdict === 'false-positive'),
    lost: gone.filter((g) => g.verdict !== 'false-positive'),
  };
}

function cell(text) {
  return String(text).replace(/\|/g, '\\|').replace(/`/g, "'");
}

function render(r) {
  const out = [];
  out.push('# asyncguard precision audit', '');
  out.push(`${r.date} · ${r.machine} · generated by \`npm run bench:audit\` from \`bench/audit/verdicts.json\`; do not edit by hand.`, '');
  out.push('`configs.recommended` over the sources of real packages (bench/package.json, exact versions): typed where the package ships TypeScript that type-checks (mongodb, @grpc/grpc-js), untyped otherwise. Tests and second builds of the same code are left out. Every finding has a verdict: **real bug**, **acceptable, worth flagging** (the code is correct as it stands but depends on something the reader cannot see, and a lint is a fair question to ask), or **false positive**.', '');
  const total = r.findings.length;
  out.push('## Summary', '');
  out.push('| findings | real bug | acceptable, worth flagging | false positive | unjudged | false-positive share (target ≤ 5%) |');
  out.push('| ---: | ---: | ---: | ---: | ---: | ---: |');
  out.push(`| ${total} | ${r.counts.bug} | ${r.counts['worth-flagging']} | ${r.counts['false-positive']} | ${r.counts.unjudged} | ${(r.falsePositiveShare * 100).toFixed(1)}% ${r.falsePositiveShare <= MAX_FALSE_POSITIVE_SHARE ? '(holds)' : '(MISSED)'} |`, '');
  out.push('| rule | real bug | worth flagging | false positive | unjudged |', '| --- | ---: | ---: | ---: | ---: |');
  for (const [rule, c] of Object.entries(r.byRule).sort()) out.push(`| ${rule} | ${c.bug} | ${c['worth-flagging']} | ${c['false-positive']} | ${c.unjudged} |`);
  out.push('');
  out.push('| package | version | mode | files | lines | findings |', '| --- | --- | --- | ---: | ---: | ---: |');
  for (const p of r.packages) out.push(`| ${p.pkg} | ${p.version} | ${p.typed ? 'typed' : 'untyped'} | ${p.files} | ${p.lines.toLocaleString('en-US')} | ${p.findings} |`);
  out.push('');
  out.push('## Notes', '');
  out.push('- **The remaining false positive** (kafkajs `broker/index.js`) is a pool whose `getConnection()` lends nothing: kafkajs keeps one connection per broker and never releases it. Without types, the rule cannot tell it from a mysql-style checkout that must be released; with types it checks that the result has a release method. Left as is: ignoring `getConnection()` would lose the real leaks it finds on mysql2 and generic pools.');
  out.push('- **How the false positives were fixed**: async callbacks and helpers whose awaits and throws all sit in try/catch, or whose returned chain ends in `.catch`, cannot reject unhandled; a callback-style call given a `reject` reports failures there; a socket handed on by its own connect callback is not leaked; and ESLint\'s exception edges out of a `try` (taken before the first throwable node and from the block\'s end) no longer count a settlement or a creation as not having happened. Each is a regression test in the rule\'s test file (audit block), written from the shape, not copied.');
  out.push('- **Recall is not measured here**: these are mature, well-reviewed packages. The rules\' recall is measured on the golden fixtures and the catalogue tests.', '');
  out.push(`## False positives fixed (${r.fixedFalsePositives.length})`, '');
  if (r.fixedFalsePositives.length === 0) out.push('None yet.', '');
  else {
    out.push('Reported by an earlier version of the rules and judged false; no longer reported. Each has a regression test.', '');
    out.push('| where | rule | why it was wrong | regression test |', '| --- | --- | --- | --- |');
    for (const g of r.fixedFalsePositives) {
      const [file, line, rule] = splitKey(g.key);
      out.push(`| ${file}:${line} | ${rule} | ${cell(g.why)} | ${cell(g.test ?? '')} |`);
    }
    out.push('');
  }
  if (r.lost.length > 0) {
    out.push(`## Findings no longer reported (${r.lost.length})`, '', 'Judged real (or worth flagging) by an earlier run, and gone now: a lost true positive unless the corpus changed.', '');
    for (const g of r.lost) out.push(`- ${g.key}: ${VERDICT_NAMES[g.verdict]}. ${cell(g.why)}`);
    out.push('');
  }
  out.push('## Every finding', '');
  let current = null;
  for (const f of r.findings) {
    if (f.pkg !== current) {
      current = f.pkg;
      out.push('', `### ${f.pkg}`, '', '| where | rule | verdict | why | code |', '| --- | --- | --- | --- | --- |');
    }
    const v = r.verdicts[f.key];
    const verdict = VERDICT_NAMES[v?.verdict] ?? '**unjudged**';
    out.push(`| ${f.file.slice(f.pkg.length + 1)}:${f.line} | ${f.rule} | ${verdict} | ${cell(v?.why ?? '')} | \`${cell(f.code)}\` |`);
  }
  out.push('');
  return out.join('\n');
}

function splitKey(key) {
  const match = /^(.*):(\d+):([^:]+)$/.exec(key);
  return match ? [match[1], match[2], match[3]] : [key, '', ''];
}

main();
