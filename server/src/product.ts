import packageJson from '../../package.json';

/** What asyncguard says about itself (CLI --version, SARIF tool driver, LSP serverInfo). */
export const product = {
  name: 'asyncguard',
  version: packageJson.version,
  homepage: 'https://github.com/asyncguard/asyncguard',
} as const;
