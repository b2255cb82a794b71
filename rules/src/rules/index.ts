import noUnawaitedPromise from './no-unawaited-promise';
import noSemaphoreMisuse from './no-semaphore-misuse';
import noUnboundedConcurrency from './no-unbounded-concurrency';
import noUnboundedRead from './no-unbounded-read';
import noUnclosedSession from './no-unclosed-session';

/** The one registry of rules; the plugin, its configs and the meta test read it. */
export const rules = {
  'no-unawaited-promise': noUnawaitedPromise,
  'no-semaphore-misuse': noSemaphoreMisuse,
  'no-unbounded-concurrency': noUnboundedConcurrency,
  'no-unbounded-read': noUnboundedRead,
  'no-unclosed-session': noUnclosedSession,
};
