// The "What changed" page's sections: the restated figures, the batches' effects and the quarantine
// (also their downloads' names).
export const CHANGES_SECTIONS = ["changes-figures", "changes-batches", "changes-quarantine"] as const;
