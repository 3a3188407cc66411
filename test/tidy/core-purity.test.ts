/**
 * Tidy test: src/core stays pure, synchronous and integer-only. ESLint bans the obvious globals;
 * this test uses the TypeScript compiler (with types) to check what lint cannot see:
 * - every import resolves inside src/core;
 * - no banned identifiers (clock, randomness, I/O, async) even as properties of globalThis;
 * - no floating-point literals;
 * - every `/` on JS numbers is an exact integer division of the form (a - a % b) / b; bigint `/`
 *   is integer by construction (its rounding direction is named by the helpers in num/int.ts).
 * The test also proves it can fail: the same checks run on a small bad sample must report it.
 */
import { readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const CORE = join(ROOT, 'src/core');
const BANNED = new Set([
  'Date', 'performance', 'process', 'setTimeout', 'setInterval', 'setImmediate', 'queueMicrotask', 'fetch',
  'require', 'console', 'Promise', 'crypto', 'Buffer', 'parseFloat',
]);
const BANNED_MATH = new Set(['random', 'round', 'floor', 'ceil', 'sqrt', 'pow', 'log', 'exp', 'fround']);

function coreFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return coreFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.test.ts') ? [path] : [];
  });
}

function isExactIntegerDivision(node: ts.BinaryExpression): boolean {
  // (a - a % b) / b  or  (a - (a % b)) / b
  let left: ts.Expression = node.left;
  while (ts.isParenthesizedExpression(left)) left = left.expression;
  if (!ts.isBinaryExpression(left) || left.operatorToken.kind !== ts.SyntaxKind.MinusToken) return false;
  let remainder: ts.Expression = left.right;
  while (ts.isParenthesizedExpression(remainder)) remainder = remainder.expression;
  if (!ts.isBinaryExpression(remainder) || remainder.operatorToken.kind !== ts.SyntaxKind.PercentToken) return false;
  const text = (expression: ts.Node): string => expression.getText().replace(/\s+/g, '');
  return text(remainder.left) === text(left.left) && text(remainder.right) === text(node.right);
}

function check(program: ts.Program, files: readonly string[]): string[] {
  const checker = program.getTypeChecker();
  const problems: string[] = [];
  for (const file of files) {
    const source = program.getSourceFile(file);
    if (source === undefined) throw new Error(`not in program: ${file}`);
    const where = (node: ts.Node): string => {
      const { line } = source.getLineAndCharacterOfPosition(node.getStart());
      return `${relative(ROOT, file)}:${line + 1}`;
    };
    const visit = (node: ts.Node): void => {
      if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) {
        const specifier = node.moduleSpecifier;
        if (specifier !== undefined && ts.isStringLiteral(specifier)) {
          const target = resolve(dirname(file), specifier.text);
          if (!specifier.text.startsWith('.') || !target.startsWith(CORE)) {
            problems.push(`${where(node)} imports ${specifier.text} from outside src/core`);
          }
        }
      }
      if (ts.isIdentifier(node) && BANNED.has(node.text)) {
        const parent = node.parent;
        const isPropertyName = ts.isPropertyAccessExpression(parent) && parent.name === node;
        const isDeclarationName = (ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent) ||
          ts.isMethodDeclaration(parent) || ts.isPropertySignature(parent)) && parent.name === node;
        if (!isPropertyName && !isDeclarationName) problems.push(`${where(node)} uses ${node.text}`);
      }
      if (ts.isPropertyAccessExpression(node) && node.expression.getText() === 'Math' && BANNED_MATH.has(node.name.text)) {
        problems.push(`${where(node)} uses Math.${node.name.text}`);
      }
      if (ts.isNumericLiteral(node) && /[.eE]/.test(node.getText()) && !/^0[xX]/.test(node.getText())) {
        problems.push(`${where(node)} has a floating-point literal ${node.getText()}`);
      }
      if ((ts.isFunctionLike(node) && ts.getCombinedModifierFlags(node) & ts.ModifierFlags.Async) ||
        ts.isAwaitExpression(node)) {
        problems.push(`${where(node)} is asynchronous`);
      }
      if (ts.isBinaryExpression(node) && (node.operatorToken.kind === ts.SyntaxKind.SlashToken ||
        node.operatorToken.kind === ts.SyntaxKind.SlashEqualsToken)) {
        const type = checker.getTypeAtLocation(node.left);
        const isBigint = (type.flags & ts.TypeFlags.BigIntLike) !== 0;
        if (!isBigint && !isExactIntegerDivision(node)) problems.push(`${where(node)} divides JS numbers: ${node.getText()}`);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return problems;
}

function programFor(files: readonly string[]): ts.Program {
  return ts.createProgram([...files], {
    target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true, noEmit: true, skipLibCheck: true, types: [],
  });
}

describe('src/core purity', () => {
  it('has no clock, randomness, I/O, async, outside imports or floating point', () => {
    const files = coreFiles(CORE);
    expect(files.length).toBeGreaterThan(20);
    expect(check(programFor(files), files)).toEqual([]);
  });

  it('detects each kind of violation in a bad sample', () => {
    const sample = join(CORE, '__tidy_sample__.ts');
    const host = ts.createCompilerHost({ strict: true, noEmit: true, types: [] });
    const text = [
      "import { readFileSync } from 'node:fs';",
      'export async function f(a: number, b: number): Promise<number> { await 0; return a / b + 0.5 + Date.now() + Math.floor(a); }',
      'export const g = (a: number, b: number): number => (a - (a % b)) / b;',
      'export const h = (a: bigint, b: bigint): bigint => a / b;',
      'void readFileSync;',
    ].join('\n');
    const original = host.getSourceFile.bind(host);
    host.getSourceFile = (name, version, onError, create) =>
      name === sample ? ts.createSourceFile(name, text, version, true) : original(name, version, onError, create);
    host.fileExists = ((exists) => (name: string) => name === sample || exists(name))(host.fileExists.bind(host));
    const program = ts.createProgram([sample], { strict: true, noEmit: true, types: [], skipLibCheck: true,
      module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022 }, host);
    const problems = check(program, [sample]).join('\n');
    expect(problems).toContain('imports node:fs');
    expect(problems).toContain('is asynchronous');
    expect(problems).toContain('divides JS numbers: a / b');
    expect(problems).toContain('floating-point literal 0.5');
    expect(problems).toContain('uses Date');
    expect(problems).toContain('Math.floor');
    // Only f's float division is reported: g's exact integer division and h's bigint division pass.
    expect(problems.match(/divides JS numbers/g)).toHaveLength(1);
  });
});
