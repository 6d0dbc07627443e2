import { useEffect, useState } from "react";

/**
 * Whether the screen is a phone's (the stylesheet's 40rem break): a chart there names its lines in a
 * legend under it, since names at the lines' ends would leave the plot a sliver of the width. False
 * on the server and until hydrated (the wide layout, as without JavaScript).
 */
export function useNarrow(): boolean {
  const [narrow, setNarrow] = useState(false);
  useEffect(() => {
    const query = window.matchMedia("(max-width: 40rem)");
    setNarrow(query.matches);
    const onChange = () => setNarrow(query.matches);
    query.addEventListener("change", onChange);
    return () => query.removeEventListener("change", onChange);
  }, []);
  return narrow;
}
