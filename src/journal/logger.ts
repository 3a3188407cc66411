/**
 * @module journal/logger
 * The journal logs through a minimal interface that a pino logger satisfies as is
 * (`logger.warn(fields, message)`), so the server can pass its own; the default writes one JSON
 * line per message to stderr. Recovery events (truncated tails, skipped snapshots, removed temp
 * files) are logged at warn/error on purpose: they must be seen.
 */

export interface JournalLogger {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

function line(level: string, fields: Record<string, unknown>, message: string): void {
  process.stderr.write(`${JSON.stringify({ level, component: 'journal', msg: message, ...fields })}\n`);
}

export const stderrLogger: JournalLogger = {
  info: (fields, message) => line('info', fields, message),
  warn: (fields, message) => line('warn', fields, message),
  error: (fields, message) => line('error', fields, message),
};

export const silentLogger: JournalLogger = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
