/**
 * @module journal/logger
 * The journal logs through a minimal interface that a pino logger satisfies as is
 * (`logger.warn(fields, message)`), so the server can pass its own; the default writes one JSON
 * line per message to stderr. Recovery events (truncated tails, skipped snapshots, removed temp
 * files) are logged at warn/error on purpose: they must be seen.
 */
import { appendFileSync } from 'node:fs';

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

/**
 * JSON lines appended to `path` (the server's structured log); warnings and errors also get one
 * human line on stderr, because recovery problems must be seen.
 */
export function fileLogger(path: string): JournalLogger {
  const write = (level: string, fields: Record<string, unknown>, message: string): void => {
    appendFileSync(path, `${JSON.stringify({ time: new Date().toISOString(), level, component: 'journal', msg: message, ...fields })}\n`);
    if (level !== 'info') process.stderr.write(`perpx ${level}: ${message} (details in ${path})\n`);
  };
  return {
    info: (fields, message) => write('info', fields, message),
    warn: (fields, message) => write('warn', fields, message),
    error: (fields, message) => write('error', fields, message),
  };
}

export const silentLogger: JournalLogger = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
