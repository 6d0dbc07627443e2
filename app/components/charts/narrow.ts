import { useEffect, useState } from "react";

/** Whether a media query matches, following its changes; false on the server and until hydrated. */
export function useMediaQuery(query: string): boolean {
  const [matches, setMatches] = useState(false);
  useEffect(() => {
    const list = window.matchMedia(query);
    setMatches(list.matches);
    const onChange = () => setMatches(list.matches);
    list.addEventListener("change", onChange);
    return () => list.removeEventListener("change", onChange);
  }, [query]);
  return matches;
}

/**
 * Whether the screen is a phone's (the stylesheet's 40rem break): a chart there names its lines in a
 * legend under it, since names at the lines' ends would leave the plot a sliver of the width. False
 * on the server and until hydrated (the wide layout, as without JavaScript).
 */
export const useNarrow = (): boolean => useMediaQuery("(max-width: 40rem)");
