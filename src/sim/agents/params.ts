/**
 * @module sim/agents/params
 * Zod building blocks shared by the agents' parameter schemas: a number or a [min, max] range that
 * each agent of a population draws from, and a weighted choice.
 */
import { z } from 'zod';

export const range = (min: number, max: number) =>
  z.union([
    z.number().min(min).max(max),
    z.tuple([z.number().min(min).max(max), z.number().min(min).max(max)])
      .refine(([a, b]) => a <= b, { message: 'range must be [min, max] with min ≤ max' }),
  ]);

export type Range = number | readonly [number, number];
