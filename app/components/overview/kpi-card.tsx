import type { CardView } from "~/.server/overview.server";

/** A metric's figure for the period, its change against the comparison period, and a sparkline. */
export function KpiCard({
  card,
  versusLabel,
  unavailableLabel,
  unavailableWhy,
}: {
  card: CardView;
  versusLabel: string | null;
  unavailableLabel: string;
  unavailableWhy: string;
}) {
  const { change } = card;
  const tone = change?.good === true ? "good" : change?.good === false ? "bad" : "neutral";
  const arrow = change?.direction === "up" ? "▲" : change?.direction === "down" ? "▼" : "■";
  return (
    <article className="kpi" aria-labelledby={`kpi-${card.id}`} data-metric={card.id}>
      <h3 id={`kpi-${card.id}`} className="kpi__label">
        {card.label}
      </h3>
      {card.unavailable ? (
        <>
          <p className="kpi__value kpi__value--na">
            <abbr title={unavailableLabel}>—</abbr>
          </p>
          <p className="kpi__note">{unavailableWhy}</p>
        </>
      ) : (
        <>
          <p className="kpi__value">
            <data value={card.value ?? ""}>{card.display}</data>
          </p>
          {change ? (
            <p className={`kpi__change kpi__change--${tone}`}>
              <span aria-hidden="true">{arrow} </span>
              {change.absolute}
              {change.percent ? <> ({change.percent})</> : null}
              {versusLabel ? <span className="kpi__versus"> {versusLabel}</span> : null}
              {card.comparisonDisplay ? (
                <span className="visually-hidden"> ({card.comparisonDisplay})</span>
              ) : null}
            </p>
          ) : null}
          <Sparkline points={card.spark} />
        </>
      )}
      <p className="kpi__definition">{card.description}</p>
    </article>
  );
}

/** A tiny trend line, drawn on the server: decoration beside the figure, hidden from screen readers. */
export function Sparkline({ points }: { points: (number | null)[] }) {
  const values = points.filter((p): p is number => p !== null);
  if (values.length < 2) return null;
  const min = Math.min(...values);
  const max = Math.max(...values);
  const w = 120;
  const h = 32;
  const step = w / (points.length - 1);
  const y = (v: number) => (max === min ? h / 2 : h - 2 - ((v - min) / (max - min)) * (h - 4));
  const path = points
    .map((p, i) => (p === null ? null : `${(i * step).toFixed(1)},${y(p).toFixed(1)}`))
    .filter(Boolean)
    .join(" ");
  const last = values[values.length - 1] as number;
  return (
    <svg
      className="sparkline"
      viewBox={`0 0 ${w} ${h}`}
      width={w}
      height={h}
      aria-hidden="true"
      focusable="false"
    >
      {min < 0 && max > 0 ? <line x1="0" x2={w} y1={y(0)} y2={y(0)} className="sparkline__zero" /> : null}
      <polyline points={path} fill="none" className="sparkline__line" />
      <circle cx={w} cy={y(last)} r="2.5" className="sparkline__dot" />
    </svg>
  );
}
