import noUnawaitedPromise from './no-unawaited-promise';

/** The one registry of rules; the plugin, its configs and the meta test read it. */
export const rules = {
  'no-unawaited-promise': noUnawaitedPromise,
};
