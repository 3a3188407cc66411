/**
 * @module api/extra/sponsor-keys
 * A sponsored account's API keys follow its sponsorship, from committed events (so a sponsorship
 * started by any path — API, CLI, replay of a journal — is treated the same):
 * - ACTIVE: every key of the account not held by its trader is revoked, so the sponsor (its
 *   master) cannot trade the trader's account with a key made before;
 * - SETTLED: the trader's keys are revoked; the account is the sponsor's again.
 * While CLOSING the trader keeps read access and the engine refuses new exposure (REDUCE_ONLY).
 * The revocation follows the commit by one event delivery (microseconds); a request already
 * authenticated in that window is judged by the engine, which refuses what the status forbids.
 */
import type { KeyStore } from '../auth/keys.js';
import type { Venue } from '../../venue/venue.js';

export function followSponsorships(venue: Venue, keys: KeyStore): () => void {
  return venue.subscribe(({ events }) => {
    for (const event of events) {
      if (event.type !== 'SponsorshipChanged') continue;
      if (event.status === 'ACTIVE') keys.revokeOfAccount(event.accountId, (key) => key.heldBy === event.traderAccountId);
      else if (event.status === 'SETTLED') keys.revokeOfAccount(event.accountId);
    }
  });
}
