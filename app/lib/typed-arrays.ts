// Typed arrays that grow: the in-memory sums (the metric layer's totals, the resident marts' groups, the
// customer-day counts) and the vectors read from DuckDB keep numbers in typed arrays of a size not known
// in advance. Browser-safe.

/** A typed array of numbers (BigInt64Array aside). */
export type NumberArray =
  | Float64Array
  | Float32Array
  | Int32Array
  | Uint32Array
  | Int16Array
  | Uint16Array
  | Int8Array
  | Uint8Array;

/**
 * `array` if it holds at least `length` items, else a new array of its kind of twice its length (or
 * `length`, if more) with its first `keep` items (all, by default) and the rest set to `fill`. Doubling
 * keeps the copies' total below twice the final size.
 */
export function withRoom<A extends NumberArray>(array: A, length: number, keep = array.length, fill = 0): A {
  if (array.length >= length) return array;
  const next = new (array.constructor as new (length: number) => A)(Math.max(2 * array.length, length));
  next.set(keep === array.length ? array : array.subarray(0, keep));
  if (fill !== 0) next.fill(fill, keep);
  return next;
}
