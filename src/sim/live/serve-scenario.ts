/**
 * @module sim/live/serve-scenario
 * What `perpx serve --scenario <file>` needs from the simulator: the scenario loaded and checked
 * against the venue, the request gate for its API faults, and a start function that runs the
 * driver (scenario-driver.ts) once the server listens. Kept apart so `perpx serve` without a
 * scenario never loads the simulator.
 */
import type { Venue } from '../../venue/venue.js';
import { loadScenarioFile } from '../scenario/load.js';
import { createRequestGate, type PathClock, type RequestGate } from './request-gate.js';
import { createScenarioDriver } from './scenario-driver.js';

export interface ServedScenario {
  readonly name: string;
  readonly requestGate: RequestGate;
  start(): { stop(): Promise<void> };
}

export function prepareServedScenario(venue: Venue, file: string, speed: number, clock: PathClock): ServedScenario {
  const loaded = loadScenarioFile(file);
  const driver = createScenarioDriver(venue, { loaded, speed, clock });
  return {
    name: loaded.spec.name,
    requestGate: createRequestGate(driver.faults, driver.load, clock, speed),
    start: () => {
      driver.start();
      return driver;
    },
  };
}
