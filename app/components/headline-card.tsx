export interface HeadlineCardProps {
  id: string;
  label: string;
  definition: string;
  /** The exact figure, for machines (`<data value>`). */
  value: number;
  /** The figure as the reader's locale writes it. */
  display: string;
}

export function HeadlineCard({ id, label, definition, value, display }: HeadlineCardProps) {
  const labelId = `metric-${id}-label`;
  const definitionId = `metric-${id}-definition`;
  return (
    <article className="card" aria-labelledby={labelId} aria-describedby={definitionId} data-metric={id}>
      <h2 id={labelId} className="card__label">
        {label}
      </h2>
      <p className="card__value">
        <data value={String(value)}>{display}</data>
      </p>
      <p id={definitionId} className="card__definition">
        {definition}
      </p>
    </article>
  );
}
