import { fileURLToPath } from "node:url";

/** The repository root: commands run from here. */
export const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));
