import { useEffect, useState } from "react";

/**
 * A disclosure that folds again when `resetOn` changes (a new page, a new view): the phone's page menu
 * and filters. Returns whether it is open and the toggle.
 */
export function useFold(resetOn: string): [open: boolean, toggle: () => void] {
  const [open, setOpen] = useState(false);
  // biome-ignore lint/correctness/useExhaustiveDependencies: folds again on every change of resetOn
  useEffect(() => setOpen(false), [resetOn]);
  return [open, () => setOpen((o) => !o)];
}
