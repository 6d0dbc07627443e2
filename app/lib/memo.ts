// Values worked out once per owner object (a snapshot, a held array of rows) and key, and forgotten
// with their owner.

/** A value kept per owner object and key, made on first use. */
export function memoIn<K extends object, V>(
  memo: WeakMap<K, Map<string, V>>,
  owner: K,
  key: string,
  make: () => V,
): V {
  let values = memo.get(owner);
  if (!values) {
    values = new Map();
    memo.set(owner, values);
  }
  let value = values.get(key);
  if (value === undefined) {
    value = make();
    values.set(key, value);
  }
  return value;
}
