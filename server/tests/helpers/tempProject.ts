import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface TempProject {
  dir: string;
  path(relative: string): string;
  read(relative: string): string;
  remove(): void;
}

/** A throwaway project in the OS temp dir: `{ 'src/a.ts': '…' }` → files on disk. */
export function tempProject(files: Record<string, string>): TempProject {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'asyncguard-test-')));
  for (const [relative, content] of Object.entries(files)) {
    const file = path.join(dir, relative);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  }
  return {
    dir,
    path: (relative) => path.join(dir, relative),
    read: (relative) => fs.readFileSync(path.join(dir, relative), 'utf8'),
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/** A tsconfig that types `fetch` without installed @types (the temp dir has no node_modules). */
export const TSCONFIG = JSON.stringify({
  compilerOptions: { strict: true, target: 'ES2022', module: 'ESNext', moduleResolution: 'Bundler', lib: ['ES2022', 'DOM'], noEmit: true },
  include: ['src'],
});

/** A dropped promise: `fetch(url)` as a statement inside an async function. */
export const DROPPED_FETCH_TS = `export async function load(url: string): Promise<void> {
  fetch(url);
}
`;

export const DROPPED_FETCH_JS = `export async function load(url) {
  fetch(url);
}
`;

export const AWAITED_FETCH_TS = `export async function load(url: string): Promise<Response> {
  return await fetch(url);
}
`;
