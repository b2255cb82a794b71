/**
 * The server's settings: one typed shape, read per document from the client (`workspace/configuration`,
 * section `asyncguard`) and cached until the client says they changed. Never kept in globals: a
 * document's settings come from `SettingsStore.forDocument`. Untrusted client input is normalised
 * here, field by field, so the rest of the server can rely on the types.
 */

/** `default` keeps the severity of the ESLint config; `off` hides the rule's diagnostics. */
export type SeverityOverride = 'default' | 'off' | 'hint' | 'info' | 'warn' | 'error';

export interface Settings {
  /** Lint at all. */
  enable: boolean;
  /** Lint as the text changes (`onType`) or only when the document is saved (`onSave`). */
  run: 'onType' | 'onSave';
  /** Delay after the last change before an `onType` lint starts. */
  debounceMs: number;
  /** Which configuration runs: `auto` = the workspace's ESLint when trusted and it uses asyncguard, else embedded. */
  configSource: 'auto' | 'workspace' | 'embedded';
  /** Embedded mode: `auto` types through the nearest tsconfig.json; `off` lints untyped. */
  typed: 'auto' | 'off';
  /** Per-rule severity, keyed by the rule's name with or without the `asyncguard/` prefix. */
  rules: Record<string, SeverityOverride>;
  /** Files larger than this many bytes are skipped (one information message each). */
  maxFileSize: number;
  /** Extra resources for no-unclosed-session (its `resources` option). */
  resources: unknown[];
  /** Extra limiters for no-semaphore-misuse (its `limiters` option). */
  limiters: unknown[];
  /** The cap no-unbounded-read's fixes write, in bytes (its `maxBytes` option); undefined = the rule's default. */
  maxBytes: number | undefined;
  /** Calls whose promise may be dropped, for no-unawaited-promise (its `allowForKnownSafeCalls` option). */
  knownSafeCalls: unknown[];
}

export const DEFAULT_SETTINGS: Readonly<Settings> = Object.freeze({
  enable: true,
  run: 'onType',
  debounceMs: 200,
  configSource: 'auto',
  typed: 'auto',
  rules: {},
  maxFileSize: 1_000_000,
  resources: [],
  limiters: [],
  maxBytes: undefined,
  knownSafeCalls: [],
});

const SEVERITIES: readonly SeverityOverride[] = ['default', 'off', 'hint', 'info', 'warn', 'error'];

/** Settings from untrusted JSON: wrong or missing fields fall back to their defaults, one by one. */
export function normalizeSettings(raw: unknown): Settings {
  const input = isRecord(raw) ? raw : {};
  const rules: Record<string, SeverityOverride> = {};
  if (isRecord(input.rules)) {
    for (const [name, severity] of Object.entries(input.rules)) {
      if (SEVERITIES.includes(severity as SeverityOverride)) rules[name.replace(/^asyncguard\//u, '')] = severity as SeverityOverride;
    }
  }
  return {
    enable: typeof input.enable === 'boolean' ? input.enable : DEFAULT_SETTINGS.enable,
    run: oneOf(input.run, ['onType', 'onSave'], DEFAULT_SETTINGS.run),
    debounceMs: nonNegative(input.debounceMs, DEFAULT_SETTINGS.debounceMs),
    configSource: oneOf(input.configSource, ['auto', 'workspace', 'embedded'], DEFAULT_SETTINGS.configSource),
    typed: oneOf(input.typed, ['auto', 'off'], DEFAULT_SETTINGS.typed),
    rules,
    maxFileSize: nonNegative(input.maxFileSize, DEFAULT_SETTINGS.maxFileSize),
    // Shapes inside these are the rules' business: ESLint checks them against each rule's schema,
    // and a wrong one becomes a clear configuration error on the file.
    resources: Array.isArray(input.resources) ? input.resources : [],
    limiters: Array.isArray(input.limiters) ? input.limiters : [],
    maxBytes: typeof input.maxBytes === 'number' && Number.isInteger(input.maxBytes) && input.maxBytes > 0 ? input.maxBytes : undefined,
    knownSafeCalls: Array.isArray(input.knownSafeCalls) ? input.knownSafeCalls : [],
  };
}

/** The embedded config's rule options that the settings carry; rules left at their defaults are absent. */
export function ruleOptionsOf(settings: Settings): Record<string, Record<string, unknown>> {
  const options: Record<string, Record<string, unknown>> = {};
  if (settings.resources.length > 0) options['no-unclosed-session'] = { resources: settings.resources };
  if (settings.limiters.length > 0) options['no-semaphore-misuse'] = { limiters: settings.limiters };
  if (settings.maxBytes !== undefined) options['no-unbounded-read'] = { maxBytes: settings.maxBytes };
  if (settings.knownSafeCalls.length > 0) options['no-unawaited-promise'] = { allowForKnownSafeCalls: settings.knownSafeCalls };
  return options;
}

/** The override for a full rule id (`asyncguard/no-unclosed-session`). */
export function severityOverride(settings: Settings, ruleId: string): SeverityOverride {
  return settings.rules[ruleId.replace(/^asyncguard\//u, '')] ?? 'default';
}

/**
 * Settings per document URI. `fetch` asks the client (or returns the initialization options for
 * clients without `workspace/configuration`); results are cached until `invalidate`.
 */
export class SettingsStore {
  private readonly cache = new Map<string, Promise<Settings>>();

  constructor(private readonly fetch: (scopeUri: string) => Promise<unknown>) {}

  forDocument(uri: string): Promise<Settings> {
    let settings = this.cache.get(uri);
    if (settings === undefined) {
      settings = this.fetch(uri).then(normalizeSettings, () => normalizeSettings(undefined));
      this.cache.set(uri, settings);
    }
    return settings;
  }

  forget(uri: string): void {
    this.cache.delete(uri);
  }

  invalidate(): void {
    this.cache.clear();
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], fallback: T): T {
  return allowed.includes(value as T) ? (value as T) : fallback;
}

function nonNegative(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : fallback;
}
