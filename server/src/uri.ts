import { fileURLToPath } from 'node:url';

/** The file path of a `file:` document URI; undefined for other schemes (untitled buffers, git views…). */
export function filePathOf(uri: string): string | undefined {
  return uri.startsWith('file:') ? fileURLToPath(uri) : undefined;
}
