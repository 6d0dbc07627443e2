// A group of tick boxes that submit one parameter with many values (country=FR&country=DE), as the
// product pages' filters do: a fieldset with its legend and a hint ("none ticked: all"). Uncontrolled:
// the form that holds it is keyed by the view, so Back or a link resets the boxes to what the URL says.

export function CheckboxGroup({
  name,
  legend,
  hint,
  options,
  checked,
}: {
  /** The query parameter. */
  name: string;
  legend: string;
  hint?: string;
  /** Each value and its label, in the order shown. */
  options: readonly { value: string; label: string }[];
  checked: readonly string[];
}) {
  return (
    <fieldset className="check-group">
      <legend>
        {legend} {hint ? <span className="footnote">{hint}</span> : null}
      </legend>
      {options.map((o) => (
        <label key={o.value} className="check">
          <input type="checkbox" name={name} value={o.value} defaultChecked={checked.includes(o.value)} />
          {o.label}
        </label>
      ))}
    </fieldset>
  );
}
