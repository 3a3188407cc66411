/**
 * @module api/extra/copy-sharing
 * Which lead portfolios share their live positions and fills (issue 15, "opt-in live sharing").
 * This is presentation, not engine state: it changes nothing the engine decides, so it is not a
 * command and is not in the journal. It lives in `<dataDir>/copy-sharing.json` (written whole, then
 * renamed, so a crash leaves the old or the new file), in memory when the server has no data dir.
 * Absent means not shared: a lead opts in. docs/api.md "Lead profiles" states the decision.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const FILE_NAME = 'copy-sharing.json';

interface SharingFile {
  readonly version: 1;
  /** Account ids of the portfolios that share, ascending. */
  readonly sharing: number[];
}

export class CopySharing {
  private readonly accounts = new Set<number>();
  private readonly path: string | undefined;

  constructor(dataDir: string | undefined) {
    this.path = dataDir === undefined ? undefined : join(dataDir, FILE_NAME);
    if (this.path === undefined || !existsSync(this.path)) return;
    const file = JSON.parse(readFileSync(this.path, 'utf8')) as SharingFile;
    for (const accountId of file.sharing) {
      if (Number.isSafeInteger(accountId) && accountId > 0) this.accounts.add(accountId);
    }
  }

  isSharing(accountId: number): boolean {
    return this.accounts.has(accountId);
  }

  set(accountId: number, sharing: boolean): void {
    if (this.accounts.has(accountId) === sharing) return;
    if (sharing) this.accounts.add(accountId);
    else this.accounts.delete(accountId);
    this.save();
  }

  private save(): void {
    if (this.path === undefined) return;
    const file: SharingFile = { version: 1, sharing: [...this.accounts].sort((a, b) => a - b) };
    const temp = `${this.path}.tmp`;
    writeFileSync(temp, JSON.stringify(file));
    renameSync(temp, this.path);
  }
}
