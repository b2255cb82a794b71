/**
 * ESLint "options module" (see `ESLint.fromOptionsModule`): with `concurrency`, ESLint hands worker
 * threads either cloneable options or the URL of a module like this one. Our options hold the plugin
 * object (functions, not cloneable), so each worker imports this module and rebuilds them from the
 * settings carried in the URL's query string. Bundled to `dist/eslint-options.mjs`.
 */
import { buildEmbeddedOptions, decodeSettings } from './engineConfig.js';

export default buildEmbeddedOptions(decodeSettings(new URL(import.meta.url).search));
