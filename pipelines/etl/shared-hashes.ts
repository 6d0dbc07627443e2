// Keys held by more than one row, at tens of millions of rows (the load's duplicate rule, the unique()
// data tests). Grouping the keys costs a hash table of one entry per row: 30M text order item ids took
// 13 s to group, 9 s even as 64-bit hashes. Sorting the hashes (a radix sort of integers) and comparing
// each with the one before takes 3-4 s: distinct hashes prove distinct keys, and the few hashes two rows
// share (equal keys, or a collision) are all that the exact check, by the keys themselves, then reads.

/**
 * SQL: the 64-bit hashes of `keys` (a column list) that more than one row of `relation` shares, among
 * the rows `where` holds: a hash shared by n rows appears n − 1 times. A NULL is a value here, as in
 * GROUP BY (hash(NULL) is a constant).
 */
export function sharedHashes(keys: string, relation: string, where = "true"): string {
  return `SELECT _h FROM (SELECT _h, lag(_h) OVER (ORDER BY _h) AS _previous FROM (SELECT hash(${keys}) AS _h FROM ${relation} WHERE ${where})) WHERE _h = _previous`;
}
