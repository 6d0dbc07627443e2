// Values worked out once per owner object (a snapshot, a held array of rows) and key, and forgotten
// with their owner.

/** What `memoIn` keeps its values in: a WeakMap by owner object, or a Map by any owner (a locale). */
interface Owners<K, V> {
  get(owner: K): Map<string, V> | undefined;
  set(owner: K, values: Map<string, V>): unknown;
}

/** A value kept per owner and key, made on first use. */
export function memoIn<K, V>(memo: Owners<K, V>, owner: K, key: string, make: () => V): V {
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
