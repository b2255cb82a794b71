/**
 * Lints one document's text and says what happened, without knowing about LSP: linted (with the
 * messages, their rules' metadata and secondary locations), skipped (too large, minified), or failed
 * (a broken config, a crashing rule) with the error to show once.
 */
import { createRequire } from 'node:module';
import * as path from 'node:path';
import type { Linter, Rule } from 'eslint';
import plugin from 'eslint-plugin-asyncguard';
import type { EngineRegistry } from './engineRegistry';
import type { Settings } from './settings';
import { skipReason } from './skipPolicy';

export type RelatedLocation = ReturnType<typeof plugin.relatedLocations>[number];

export type LintOutcome =
  | {
      kind: 'linted';
      messages: Linter.LintMessage[];
      rulesMeta: Record<string, Rule.RuleMetaData>;
      related: RelatedLocation[];
      /** The text did not parse (typically mid-typing): `messages` holds the parse error only. */
      parseError: boolean;
      /** Linted with type information, so its types may change other files' results. */
      typed: boolean;
    }
  | { kind: 'skipped'; reason: string }
  | {
      kind: 'failed';
      /** For the file's diagnostic: names the file. */
      message: string;
      /** For the one notification: the same failure in every file gives the same summary. */
      summary: string;
      detail: string;
    };

export interface LintRequest {
  filePath: string;
  text: string;
  settings: Settings;
  trusted: boolean;
}

export async function lintDocument(engines: EngineRegistry, { filePath, text, settings, trusted }: LintRequest): Promise<LintOutcome> {
  const skip = skipReason(text, settings.maxFileSize);
  if (skip !== undefined) return { kind: 'skipped', reason: `asyncguard skipped ${path.basename(filePath)}: ${skip}.` };
  const folderEngine = engines.engineFor(filePath, settings, trusted);
  const { engine, folder, choice } = folderEngine;
  try {
    const results = await engine.lintText(text, { filePath });
    const messages = results.flatMap((result) => result.messages);
    return {
      kind: 'linted',
      messages,
      rulesMeta: engine.rulesMeta(results),
      related: (folderEngine.relatedLocations ??= relatedLocationsSource(choice.source === 'workspace' ? folder : undefined))(filePath),
      parseError: messages.some((message) => message.fatal === true),
      typed: engine.isTyped(results),
    };
  } catch (error) {
    const where = choice.source === 'workspace' ? `the workspace configuration ${choice.configFile ?? ''}` : 'the embedded configuration';
    return {
      kind: 'failed',
      message: `asyncguard could not lint ${path.basename(filePath)} with ${where}: ${firstLine(error)}`,
      summary: `asyncguard could not lint with ${where}: ${firstLine(error).replaceAll(filePath, path.basename(filePath))}`,
      detail: error instanceof Error ? (error.stack ?? error.message) : String(error),
    };
  }
}

/**
 * The rules record secondary locations in the plugin module that ran them: ours for the embedded
 * config, the workspace's own copy when its config loaded one. Resolved once per engine, not per lint.
 */
function relatedLocationsSource(workspaceFolder: string | undefined): (filePath: string) => RelatedLocation[] {
  if (workspaceFolder !== undefined) {
    try {
      const workspacePlugin = createRequire(path.join(workspaceFolder, 'package.json'))('eslint-plugin-asyncguard') as Partial<typeof plugin>;
      if (typeof workspacePlugin.relatedLocations === 'function') return workspacePlugin.relatedLocations;
    } catch {
      // Not installed in the workspace: the config loaded ours (or none), so ours has the records.
    }
  }
  return plugin.relatedLocations;
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0] ?? message;
}
