import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import type * as ts from 'typescript';
import { isStackOverflow } from '../util/stackOverflow';

/** What a rule needs from the type checker, present only when the parser was given a program. */
export interface TypeServices {
  program: ts.Program;
  checker: ts.TypeChecker;
  tsNode(node: TSESTree.Node): ts.Node;
  typeOf(node: TSESTree.Node): ts.Type;
}

const cache = new WeakMap<object, TypeServices | null>();

/**
 * The typed path is an upgrade, never a requirement: without a program (plain JS, or an untyped
 * setup) this returns undefined and callers fall back to the syntactic model.
 */
export function getTypeServices(context: Readonly<TSESLint.RuleContext<string, readonly unknown[]>>): TypeServices | undefined {
  const sourceCode = context.sourceCode;
  const cached = cache.get(sourceCode);
  if (cached !== undefined) return cached ?? undefined;
  const services = sourceCode.parserServices as Partial<{
    program: ts.Program | null;
    esTreeNodeToTSNodeMap: { get(node: TSESTree.Node): ts.Node };
  }> | undefined;
  let result: TypeServices | null = null;
  if (services?.program && services.esTreeNodeToTSNodeMap) {
    const { program, esTreeNodeToTSNodeMap } = services;
    const checker = program.getTypeChecker();
    // Every rule asks about the same calls and bindings, and the checker does not cache every
    // expression's type: one answer per node per lint.
    const types = new WeakMap<TSESTree.Node, ts.Type>();
    result = {
      program,
      checker,
      tsNode: (node) => esTreeNodeToTSNodeMap.get(node),
      typeOf: (node) => {
        let type = types.get(node);
        if (type === undefined) {
          try {
            type = checker.getTypeAtLocation(esTreeNodeToTSNodeMap.get(node));
          } catch (error) {
            // The checker overflows its stack on some recursive generic types: treat the node as
            // `any` (typed answers give way to the syntactic model) rather than fail the lint.
            if (!isStackOverflow(error)) throw error;
            type = checker.getAnyType();
          }
          types.set(node, type);
        }
        return type;
      },
    };
  }
  cache.set(sourceCode, result);
  return result ?? undefined;
}
