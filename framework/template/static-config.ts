import { ConfigError } from '../errors.js';
import { envVar } from '../project/env-var.js';

/**
 * The arguments of `{{config ...}}` read from the template's syntax tree, without rendering: the
 * compiler needs every node's schema/alias/materialization before it can render any ref. Values
 * are literals, or (var "x") / (env_var "X").
 */
export function staticConfig(
  ast: hbs.AST.Program,
  file: string,
  vars: Record<string, unknown>,
): Record<string, unknown> {
  const config: Record<string, unknown> = {};
  const visit = (node: hbs.AST.Node | undefined): void => {
    if (!node) return;
    if (node.type === 'MustacheStatement' && (node as hbs.AST.MustacheStatement).path.type === 'PathExpression') {
      const m = node as hbs.AST.MustacheStatement;
      if ((m.path as hbs.AST.PathExpression).original === 'config') {
        for (const pair of m.hash?.pairs ?? []) config[pair.key] = value(pair.value, file, vars);
      }
    }
    const block = node as hbs.AST.BlockStatement;
    if (block.program) block.program.body.forEach(visit);
    if (block.inverse) block.inverse.body.forEach(visit);
  };
  ast.body.forEach(visit);
  return config;
}

function value(expr: hbs.AST.Expression, file: string, vars: Record<string, unknown>): unknown {
  switch (expr.type) {
    case 'StringLiteral':
    case 'NumberLiteral':
    case 'BooleanLiteral':
      return (expr as hbs.AST.StringLiteral).value;
    case 'SubExpression': {
      const sub = expr as hbs.AST.SubExpression;
      const name = (sub.path as hbs.AST.PathExpression).original;
      const args = sub.params.map((p) => value(p, file, vars));
      if (name === 'var') return String(args[0]) in vars ? vars[String(args[0])] : args[1];
      if (name === 'env_var') return envVar(String(args[0]), args[1], { file, line: sub.loc.start.line });
      if (name === 'list') return args;
    }
  }
  throw new ConfigError('config arguments must be literals, (list ...), (var ...) or (env_var ...)', {
    file,
    line: expr.loc.start.line,
    column: expr.loc.start.column + 1,
  });
}
