/**
 * Runs the perpx CLI from TypeScript sources (tests spawn `node --import tsx test/api/support/perpx-cli.ts …`),
 * so end-to-end tests exercise the current code without a build step.
 */
import { main } from '../../../src/cli/main.js';

main(process.argv).catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exitCode = 1;
});
