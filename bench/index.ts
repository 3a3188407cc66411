/**
 * Benchmark dispatcher: `npm run bench -- <name> [...args]` loads ./<name>.ts and calls its
 * exported run<Name>Bench(args).
 */
const [name, ...args] = process.argv.slice(2);
if (name === undefined || !/^[a-z][a-z0-9]*$/.test(name)) {
  console.error('usage: npm run bench -- <name> [...args]   (e.g. npm run bench -- book --json)');
  process.exit(2);
}
const entry = `run${name.charAt(0).toUpperCase()}${name.slice(1)}Bench`;
const bench = (await import(`./${name}.ts`)) as Record<string, unknown>;
const run = bench[entry];
if (typeof run !== 'function') {
  console.error(`bench/${name}.ts does not export ${entry}`);
  process.exit(2);
}
await (run as (argv: string[]) => Promise<void>)(args);
