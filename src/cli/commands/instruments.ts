/**
 * @module cli/commands/instruments
 * `perpx instruments`: prints the configured instruments and their leverage brackets.
 */
import type { Command } from 'commander';
import { compileInstrument, DEFAULT_INSTRUMENTS, formatScaled, formatUnits } from '../../core/index.js';

export function register(program: Command): void {
  program
    .command('instruments')
    .description('print the shipped instruments (filters, fees, leverage brackets)')
    .option('--json', 'print JSON instead of a table')
    .action((options: { json?: boolean }) => {
      const instruments = DEFAULT_INSTRUMENTS.map(compileInstrument);
      if (options.json === true) {
        console.log(JSON.stringify(DEFAULT_INSTRUMENTS, null, 2));
        return;
      }
      for (const instrument of instruments) {
        console.log(`${instrument.symbol}  tick ${instrument.spec.tickSize}  step ${instrument.spec.stepSize}  ` +
          `minNotional ${instrument.spec.minNotional}  maker ${instrument.spec.makerFeeRate}  taker ${instrument.spec.takerFeeRate}  ` +
          `max price ${formatUnits(instrument.maxPriceTicks, instrument.tick)}`);
        for (const bracket of instrument.brackets) {
          console.log(`  bracket ${String(bracket.bracket).padStart(2)}  ${formatScaled(bracket.floorE8, 8, 0).padStart(13)} – ` +
            `${formatScaled(bracket.capE8, 8, 0).padStart(13)}  max ${String(bracket.maxLeverage).padStart(3)}x  ` +
            `MMR ${formatScaled(bracket.mmrE8, 8, 4)}  cum ${formatScaled(bracket.cumE8, 8, 0)}`);
        }
      }
    });
}
