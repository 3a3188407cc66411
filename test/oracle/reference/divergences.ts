/**
 * Known divergences: the money rules of /work/notes/money-rules.md (issue 13 §1) that main's
 * engine does not follow yet. The reference models the NEW rule; while a rule's switch is `true`
 * the reference applies the engine's current (old) behaviour for exactly that rule instead
 * (legacy-rules.ts), or — R7, which no event shows — skips the comparison that would show it, so
 * the differential run stays exact everywhere else.
 *
 * When a fix lands: delete its entry here (and its legacy function). The differential run then
 * checks the engine against the new rule.
 */
export const KNOWN_DIVERGENCES = {
  /** Isolated reduce releases floor((W + R)·c/|s|) after the realized PnL (leaks margin). */
  R1_ISOLATED_REDUCE_RELEASE: true,
  /** Own closing orders are capped at the bankruptcy price without the fee and the 3·|s| slack. */
  R2_FEE_AWARE_CLOSE_CAP: true,
  /** Liquidation sweep budget = equity at mark + fund, per level against the mark. */
  R3_SWEEP_VS_BANKRUPTCY: true,
  /** Premium samples skipped by the catch-up window are lost. */
  R4_QUIET_GAP_PREMIUM: true,
  /** A reduce-only LIMIT larger than the position is rejected -4118 instead of clipped. */
  R5_REDUCE_ONLY_LIMIT_CLIP: true,
  /** Isolated margin removal limited to iw + min(0, UPnL) − IM. */
  R6_ISOLATED_REMOVAL_MAX: true,
  /** previewOrder().affordable ignores the taker-fee reserve (preview not compared while true). */
  R7_PREVIEW_SHARES_CHECK: true,
  /** Liquidation price: the first (inconsistent) bracket solution when no bracket holds the root. */
  R8_LIQUIDATION_PRICE_UNDEFINED: true,
};

export type DivergenceName = keyof typeof KNOWN_DIVERGENCES;

/** Every rule on its new behaviour (unit tests of the new rules use it). */
export const NEW_RULES: Readonly<Record<DivergenceName, boolean>> = Object.fromEntries(
  Object.keys(KNOWN_DIVERGENCES).map((name) => [name, false]),
) as Record<DivergenceName, boolean>;

/**
 * Engine defects outside the money rules (test/oracle/engine-findings.test.ts), for which the
 * generator avoids the situations that show them. Delete an entry when its fix lands.
 */
export const KNOWN_ENGINE_DEFECTS = {
  /**
   * Touching an account that is not at risk (a liquidation-index candidate; multi-symbol safety
   * bands make this common, and a restore rebuilds the bands) reconciles its reduce-only orders,
   * so resting reduce-only orders that together exceed the position are cut back at a moment that
   * depends on index internals and on restarts. The reference touches only accounts at risk; the
   * generator does not let resting reduce-only orders exceed the position.
   */
  INDEX_TOUCH_RECONCILES: true,
};
