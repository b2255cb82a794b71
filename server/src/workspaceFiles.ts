/**
 * The files "lint the whole workspace" visits: every JavaScript/TypeScript source under the folders,
 * without dependencies, build outputs, declaration files, minified bundles or hidden folders. The
 * engine's ignore patterns still apply when each file is linted; this only avoids walking into trees
 * that are never linted (node_modules alone can hold a million files).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const SOURCE = /\.(?:[cm]?[jt]s|[jt]sx)$/u;
const NOT_SOURCE = /(?:\.d\.[cm]?ts|\.min\.js)$/u;
const SKIPPED_DIRECTORIES = new Set(['node_modules', 'dist', 'build', 'out', 'coverage']);

export function workspaceFiles(folders: readonly string[]): string[] {
  const files = new Set<string>();
  for (const folder of folders) walk(folder, files);
  return [...files].sort();
}

function walk(directory: string, files: Set<string>): void {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(directory, { withFileTypes: true });
  } catch {
    return; // Unreadable or gone: nothing to lint there.
  }
  for (const entry of entries) {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) {
      if (!entry.name.startsWith('.') && !SKIPPED_DIRECTORIES.has(entry.name)) walk(full, files);
    } else if (entry.isFile() && SOURCE.test(entry.name) && !NOT_SOURCE.test(entry.name)) {
      files.add(full);
    }
  }
}
