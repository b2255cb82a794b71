import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The file path of a `file:` document URI; undefined for other schemes (untitled buffers, git views…). */
export function filePathOf(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined; // `file://host/…` and other URIs no local path names.
  }
}

const EXTENSION_BY_LANGUAGE: Record<string, string> = {
  typescript: '.ts',
  typescriptreact: '.tsx',
  javascriptreact: '.jsx',
};

/**
 * A path for a document that has none (an untitled buffer): ESLint picks the parser and config by
 * file name, so the name carries the language. It lies in `directory` but is never written.
 */
export function syntheticPathOf(uri: string, languageId: string, directory: string): string {
  const name = uri.replace(/^[a-z]+:/iu, '').replace(/[^\w-]+/gu, '_').slice(-60) || 'untitled';
  return path.join(directory, `${name}${EXTENSION_BY_LANGUAGE[languageId] ?? '.js'}`);
}
