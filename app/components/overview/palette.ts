// Moved to ~/components/charts/palette: the one palette. This re-export keeps older imports working.
export * from "../charts/palette";
