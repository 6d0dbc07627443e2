// A benchmark's bars: a figure, its limit and whether it passed, printed as it is measured.

export interface Bar {
  figure: string;
  limit: number;
  unit: string;
  value: number;
  pass: boolean;
}

export function atLeast(figure: string, value: number, limit: number, unit: string): Bar {
  const result = { figure, limit, unit, value: Number(value.toFixed(2)), pass: value >= limit };
  console.log(
    `  ${result.pass ? "PASS" : "FAIL"} ${figure}: ${result.value} ${unit} (bar: ≥ ${limit} ${unit})`,
  );
  return result;
}

export function bar(figure: string, value: number, limit: number, unit: string): Bar {
  const result = { figure, limit, unit, value: Number(value.toFixed(2)), pass: value < limit };
  console.log(
    `  ${result.pass ? "PASS" : "FAIL"} ${figure}: ${result.value} ${unit} (bar: < ${limit} ${unit})`,
  );
  return result;
}
