/**
 * The location of the `occurrence`-th appearance of `text` in `code`, in RuleTester's terms
 * (1-based lines and columns, end exclusive). Tests state the exact text a report must cover;
 * this turns it into numbers so a case reads as what the user sees.
 */
export function span(
  code: string,
  text: string,
  occurrence = 0,
): { line: number; column: number; endLine: number; endColumn: number } {
  let index = -1;
  for (let i = 0; i <= occurrence; i++) {
    index = code.indexOf(text, index + 1);
    if (index === -1) throw new Error(`span: ${JSON.stringify(text)} (occurrence ${occurrence}) is not in the code`);
  }
  const position = (offset: number) => {
    const before = code.slice(0, offset).split('\n');
    return { line: before.length, column: before[before.length - 1].length + 1 };
  };
  const start = position(index);
  const end = position(index + text.length);
  return { line: start.line, column: start.column, endLine: end.line, endColumn: end.column };
}
