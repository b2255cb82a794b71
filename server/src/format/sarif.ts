/**
 * SARIF 2.1.0 output (GitHub code scanning, Azure DevOps, IDE SARIF viewers). Written here rather than
 * with `@microsoft/eslint-formatter-sarif`, which depends on ESLint 8.
 *
 * Rule problems become `results`; messages without a rule (parse errors, "file ignored" notices)
 * become tool execution notifications, since they are about the run, not about the code.
 */
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ESLint, Linter, Rule } from 'eslint';

export interface SarifOptions {
  /** Artifact URIs are relative to this directory (`%SRCROOT%`) when inside it. */
  cwd: string;
  rulesMeta: Record<string, Rule.RuleMetaData>;
  tool: { name: string; version: string; informationUri: string };
}

const SRCROOT = '%SRCROOT%';

export function formatSarif(results: readonly ESLint.LintResult[], { cwd, rulesMeta, tool }: SarifOptions): string {
  const ruleIds = [...new Set(results.flatMap((r) => r.messages.flatMap((m) => (m.ruleId ? [m.ruleId] : []))))].sort();
  const ruleIndex = new Map(ruleIds.map((id, index) => [id, index]));
  const sarifResults: object[] = [];
  const notifications: object[] = [];

  for (const result of results) {
    const artifactLocation = artifactLocationFor(result.filePath, cwd);
    for (const message of result.messages) {
      const level = message.fatal || message.severity === 2 ? 'error' : 'warning';
      const locations = [{ physicalLocation: { artifactLocation, ...regionFor(message) } }];
      if (message.ruleId) {
        sarifResults.push({
          ruleId: message.ruleId,
          ruleIndex: ruleIndex.get(message.ruleId),
          level,
          message: { text: message.message },
          locations,
        });
      } else {
        notifications.push({ level, message: { text: message.message }, locations });
      }
    }
  }

  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: tool.name,
            version: tool.version,
            informationUri: tool.informationUri,
            rules: ruleIds.map((id) => ruleDescriptor(id, rulesMeta[id])),
          },
        },
        originalUriBaseIds: { [SRCROOT]: { uri: pathToFileURL(cwd.endsWith(path.sep) ? cwd : cwd + path.sep).href } },
        invocations: [{ executionSuccessful: true, toolExecutionNotifications: notifications }],
        results: sarifResults,
      },
    ],
  };
  return JSON.stringify(log, null, 2);
}

function ruleDescriptor(id: string, meta: Rule.RuleMetaData | undefined): object {
  const descriptor: Record<string, unknown> = { id };
  if (meta?.docs?.description) descriptor.shortDescription = { text: meta.docs.description };
  if (meta?.docs?.url) descriptor.helpUri = meta.docs.url;
  if (meta?.type) descriptor.properties = { category: meta.type };
  return descriptor;
}

/** Relative to `%SRCROOT%` when the file is inside cwd, an absolute file URI otherwise. */
function artifactLocationFor(filePath: string, cwd: string): object {
  if (!path.isAbsolute(filePath)) return { uri: encodeURI(filePath.split(path.sep).join('/')) };
  const relative = path.relative(cwd, filePath);
  if (relative.startsWith('..') || path.isAbsolute(relative)) return { uri: pathToFileURL(filePath).href };
  return { uri: relative.split(path.sep).map(encodeURIComponent).join('/'), uriBaseId: SRCROOT };
}

/** ESLint and SARIF both count lines and columns from 1, and both make the end column exclusive. */
function regionFor(message: Linter.LintMessage): object {
  if (!message.line) return {};
  const region: Record<string, number> = { startLine: message.line, startColumn: message.column || 1 };
  if (message.endLine) {
    region.endLine = message.endLine;
    if (message.endColumn) region.endColumn = message.endColumn;
  }
  return { region };
}
