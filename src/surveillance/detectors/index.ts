/**
 * @module surveillance/detectors
 * Every rule of the catalogue, constructed once per surveillance instance. The order here is the
 * order in which rules run for an event type (and so the order of their alerts within a batch).
 */
import type { SurveillanceContext } from '../context.js';
import { ReentryDetector, OvertradingDetector } from './behaviour.js';
import { CascadeDetector } from './cascade.js';
import { CircularDetector } from './circular.js';
import { ConcentrationDetector } from './concentration.js';
import { CopyContagionDetector, FollowerDivergenceDetector, LeadCoolingDetector } from './copy-trading.js';
import { FrontRunCopyDetector } from './front-run-copy.js';
import { FundingExtremeDetector } from './funding-extreme.js';
import { AdlDetector, InsuranceDrawdownDetector } from './insurance.js';
import { LiqClusterDetector } from './liq-cluster.js';
import { ManipulationDetector } from './manipulation.js';
import { MarginCallDetector } from './margin-call.js';
import { MarkDivergenceDetector } from './mark-divergence.js';
import { MessageRateDetector } from './message-rate.js';
import { OiFlushDetector } from './oi-flush.js';
import { PriceVelocityDetector } from './price-velocity.js';
import { PumpDumpDetector } from './pump-dump.js';
import { QuantRulesDetector } from './quant-rules.js';
import { SpoofingDetector } from './spoofing.js';
import { TimeToLiquidationDetector } from './time-to-liquidation.js';
import { WashDetector } from './wash.js';

export function createDetectors(ctx: SurveillanceContext) {
  return {
    marginCall: new MarginCallDetector(ctx),
    timeToLiquidation: new TimeToLiquidationDetector(ctx),
    liqCluster: new LiqClusterDetector(ctx),
    cascade: new CascadeDetector(ctx),
    oiFlush: new OiFlushDetector(ctx),
    fundingExtreme: new FundingExtremeDetector(ctx),
    markDivergence: new MarkDivergenceDetector(ctx),
    priceVelocity: new PriceVelocityDetector(ctx),
    insuranceDrawdown: new InsuranceDrawdownDetector(ctx),
    adl: new AdlDetector(),
    concentration: new ConcentrationDetector(ctx),
    spoofing: new SpoofingDetector(),
    quantRules: new QuantRulesDetector(),
    messageRate: new MessageRateDetector(ctx),
    wash: new WashDetector(),
    circular: new CircularDetector(),
    manipulation: new ManipulationDetector(ctx),
    pumpDump: new PumpDumpDetector(ctx),
    frontRunCopy: new FrontRunCopyDetector(),
    reentry: new ReentryDetector(),
    overtrading: new OvertradingDetector(ctx),
    leadCooling: new LeadCoolingDetector(),
    copyContagion: new CopyContagionDetector(ctx),
    followerDivergence: new FollowerDivergenceDetector(),
  };
}

export type Detectors = ReturnType<typeof createDetectors>;
