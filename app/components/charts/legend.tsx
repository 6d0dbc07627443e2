// A chart's legend in plain HTML: each entry's swatch as the chart draws it (a box for bars, a line with
// its dashes for lines) and its name in the text colour, so that names keep their contrast and a bar
// coloured by its sign gets one entry per colour (recharts' own legend draws such a bar black).

export interface LegendEntry {
  label: string;
  colour: string;
  kind: "box" | "line";
  dash?: string;
}

export function ChartLegend({ entries }: { entries: readonly LegendEntry[] }) {
  return (
    <ul className="chart__legend">
      {entries.map((e) => (
        <li key={e.label}>
          <svg width="22" height="12" aria-hidden="true" focusable="false">
            {e.kind === "box" ? (
              <rect x="5" y="1" width="12" height="10" fill={e.colour} />
            ) : (
              <line
                x1="1"
                y1="6"
                x2="21"
                y2="6"
                stroke={e.colour}
                strokeWidth="2.5"
                strokeDasharray={e.dash}
              />
            )}
          </svg>
          {e.label}
        </li>
      ))}
    </ul>
  );
}

/** For recharts' own legend: the entry's name in the text colour (its swatch keeps the series colour). */
export const legendText = (value: string) => <span className="chart__legend-text">{value}</span>;
