/**
 * Workspace plugins and configs run inside the server; one calling `process.exit` would take every
 * open editor's diagnostics down with it. Only this bundle (the LSP library's exit handling and the
 * server itself) may end the process; any other caller gets an exception instead, which surfaces as
 * a failed lint of the file being linted.
 */
export class ExitTrappedError extends Error {
  constructor(readonly code: number | string | null | undefined) {
    super(`a workspace plugin or config called process.exit(${code ?? ''}); asyncguard kept running`);
    this.name = 'ExitTrappedError';
  }
}

export function trapProcessExit(ownFile: string, onTrapped: (error: ExitTrappedError) => void): void {
  const exit = process.exit.bind(process);
  process.exit = ((code?: number | string | null) => {
    if (calledFrom(ownFile)) return exit(code);
    const error = new ExitTrappedError(code);
    onTrapped(error);
    throw error;
  }) as typeof process.exit;
}

/** Whether the caller of the patched `process.exit` is code in `file`. */
function calledFrom(file: string): boolean {
  // Frame 0 is `calledFrom`, 1 the patched exit, 2 its caller.
  const frames = (new Error().stack ?? '').split('\n').slice(1);
  return frames[2]?.includes(file) ?? false;
}
