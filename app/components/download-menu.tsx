import type { Locale } from "~/i18n/locales";
import { MESSAGES } from "~/i18n/messages";

/** The formats offered, Excel first: finance opens most downloads there. */
const FORMATS = ["xlsx", "csv-excel-fr", "csv-excel-en", "csv", "parquet", "arrow"] as const;

export interface DownloadMenuProps {
  /** The export view (a route under /export/). */
  view: string;
  /** The page's query string (its filters), so the file holds what the screen shows. */
  search: string;
  /** What is downloaded, for the accessible name: "the monthly P&L". */
  what: string;
  locale: Locale;
  /** The button's visible text, where "Download" alone would be ambiguous (default: "Download"). */
  button?: string;
}

/**
 * A disclosure with one link per format: plain links to the export route (no JavaScript needed; the
 * browser saves the file under the name the server gives). Keyboard: Tab to the button, Enter opens.
 */
export function DownloadMenu({ view, search, what, locale, button }: DownloadMenuProps) {
  const messages = MESSAGES[locale].download;
  const query = new URLSearchParams(search);
  const href = (format: string) => {
    const q = new URLSearchParams(query);
    q.set("format", format);
    return `/export/${view}?${q.toString().replaceAll("%2C", ",")}`;
  };
  return (
    <details className="download-menu" data-export={view}>
      <summary aria-label={messages.label(what)}>
        <span aria-hidden="true">⤓ </span>
        {button ?? messages.button}
      </summary>
      <div className="download-menu__panel">
        <ul>
          {FORMATS.map((format) => (
            <li key={format}>
              {/* No `download` attribute: the server names the file (Content-Disposition), and a session
                  that ended leads to the sign-in page instead of saving its refusal as a file. */}
              <a href={href(format)} data-format={format}>
                {messages.formats[format]}
              </a>
            </li>
          ))}
        </ul>
        <p className="download-menu__note">{messages.note}</p>
      </div>
    </details>
  );
}
