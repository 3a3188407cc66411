/**
 * @module cli/run
 * Runs the CLI from source (`node --import tsx src/cli/run.ts <command>`); bin/perpx.js runs the
 * compiled equivalent.
 */
import { main } from './main.js';

main(process.argv).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
