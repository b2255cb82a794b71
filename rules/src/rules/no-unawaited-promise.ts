import { createRule } from '../util/createRule';

// Placeholder while the rule is written; replaced in the next commit.
export default createRule({
  name: 'no-unawaited-promise',
  meta: {
    type: 'problem',
    docs: { description: 'Require promises to be awaited, returned, or explicitly handled', recommended: true },
    hasSuggestions: true,
    messages: { floating: 'Promise is dropped.' },
    schema: [],
  },
  defaultOptions: [],
  create() {
    return {};
  },
});
