import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The nearest `tsconfig.json` at or above `target` (a file or a directory, which need not exist yet:
 * an unsaved editor buffer has a path but no file), walking up to the filesystem root.
 * Returns the tsconfig's absolute path, or null.
 */
export function findNearestTsconfig(target: string): string | null {
  let dir = startDirectory(path.resolve(target));
  for (;;) {
    const candidate = path.join(dir, 'tsconfig.json');
    if (isFile(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

function startDirectory(target: string): string {
  try {
    return fs.statSync(target).isDirectory() ? target : path.dirname(target);
  } catch {
    return path.dirname(target);
  }
}

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}
