import { Form } from "@remix-run/react";
import type { ReactNode } from "react";

/** The session's CSRF token, which every form that changes something posts back. */
export function Csrf({ value }: { value: string | null | undefined }) {
  return <input type="hidden" name="csrf" value={value ?? ""} />;
}

/**
 * One quiet button that posts an intent about one thing (remove this view, revoke this token): a form of
 * hidden fields, so it works without JavaScript. `label` names the thing for a screen reader, since the
 * visible text ("Remove") is the same on every row.
 */
export function PostButton({
  csrf,
  intent,
  fields,
  label,
  reloadDocument = false,
  children,
}: {
  csrf: string | null | undefined;
  intent: string;
  fields: Record<string, string | number>;
  label: string;
  reloadDocument?: boolean;
  children: ReactNode;
}) {
  return (
    <Form method="post" reloadDocument={reloadDocument}>
      <Csrf value={csrf} />
      <input type="hidden" name="intent" value={intent} />
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <button type="submit" className="button--quiet" aria-label={label}>
        {children}
      </button>
    </Form>
  );
}
