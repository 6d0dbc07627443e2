// Direct labels at the right end of a chart's lines (so that a line is named where it ends, and colour is
// never the only cue). Labels closer than LABEL_GAP pixels are pushed apart, top to bottom, and the whole
// stack moves up if that pushes the last one below the plot. Their heights are estimated from the y domain
// over the plot's height (give the domain when the chart fixes it; the default, from 0 to the data's
// extremes, errs on the side of more room since the axis rounds its ends).

export const LABEL_GAP = 14;

/** Room (px) on a chart's right for labels of these names, about 7 px a character at 12 px, at most 180. */
export function endLabelRoom(names: readonly string[], floor = 48): number {
  const longest = Math.max(0, ...names.map((n) => n.length));
  return Math.min(180, Math.max(floor, 16 + longest * 7));
}

type Row = Record<string, number | string | null | undefined>;

/** Recharts' props for one point's label. */
interface PointLabelProps {
  index?: number;
  x?: number | string;
  y?: number | string;
}

/** Each key's vertical shift (px) so that no two end labels overlap and none falls below the plot. */
export function endLabelShifts(
  ends: readonly { key: string; px: number }[],
  plotHeight: number,
): Map<string, number> {
  const sorted = [...ends].sort((a, b) => a.px - b.px);
  const shift = new Map<string, number>();
  let previous = Number.NEGATIVE_INFINITY;
  for (const end of sorted) {
    const placed = Math.max(end.px, previous + LABEL_GAP);
    shift.set(end.key, placed - end.px);
    previous = placed;
  }
  const overflow = Math.max(0, previous - plotHeight);
  if (overflow > 0) for (const [key, value] of shift) shift.set(key, value - overflow);
  return shift;
}

export function endLabels(
  data: readonly Row[],
  keys: readonly string[],
  plotHeight: number,
  domain?: readonly [number, number],
) {
  const lastIndex = (key: string) => data.findLastIndex((d) => typeof d[key] === "number");
  const values = data.flatMap((d) => keys.map((k) => d[k]).filter((v): v is number => typeof v === "number"));
  const [lo, hi] = domain ?? [Math.min(0, ...values), Math.max(0, ...values)];
  const shift = endLabelShifts(
    keys
      .map((key) => ({ key, value: data[lastIndex(key)]?.[key] }))
      .filter((e): e is { key: string; value: number } => typeof e.value === "number")
      .map((e) => ({ key: e.key, px: ((hi - e.value) / (hi - lo || 1)) * plotHeight })),
    plotHeight,
  );
  /** The `label` prop of a line: its name at its last point, nothing elsewhere. */
  return (key: string, text: string, colour: string) => {
    const at = lastIndex(key);
    return (props: PointLabelProps) =>
      props.index === at ? (
        <text
          x={Number(props.x) + 6}
          y={Number(props.y)}
          dy={4 + (shift.get(key) ?? 0)}
          fill={colour}
          fontSize={12}
          fontWeight={600}
        >
          {text}
        </text>
      ) : (
        <g />
      );
  };
}
