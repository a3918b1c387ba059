/** What a target bounds: the figure itself, or the figure divided by its baseline. */
export const TargetOf = {
  Value: "value",
  Ratio: "ratio",
} as const;

/** One of {@link TargetOf}. */
export type TargetOf = (typeof TargetOf)[keyof typeof TargetOf];

/** An upper bound a figure (or its ratio to the baseline) must stay at or under. */
interface Target {
  readonly of: TargetOf;
  readonly max: number;
}

/** One measured figure, with what it is compared against. */
export interface Figure {
  /** Stable key in `bench/results.json`, snake_case. */
  readonly key: string;
  /** What a person reads in the table. */
  readonly label: string;
  readonly value: number;
  /** Unit of `value` and `baseline`: "ms", "bytes", "requests", "x" (a ratio)... */
  readonly unit: string;
  /** The same figure for the comparison case (bare handler, sequential batch). */
  readonly baseline?: number;
  /** What the baseline is, e.g. "bare handler". */
  readonly baselineLabel?: string;
  readonly target?: Target;
}
