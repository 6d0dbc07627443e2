import { data, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import {
  isRouteErrorResponse,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLocation,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import { type ReactNode, useEffect } from "react";
import { currentGate } from "~/.server/auth/gate.server";
import { chooseLocale } from "~/.server/locale.server";
import { readDimensions } from "~/.server/overview.server";
import { getWarehouse } from "~/.server/warehouse.server";
import { SiteHeader } from "~/components/site-header";
import { DEFAULT_LOCALE, LANG_PARAMS, type LangParam, type Locale } from "~/i18n/locales";
import { MESSAGES, type Messages } from "~/i18n/messages";
import { formatDate } from "~/lib/format";
import { forwardHeaders } from "~/lib/headers";
import { useNonce } from "~/lib/nonce";
import stylesheet from "~/styles/app.css?url";

// Inline so browsers do not ask the server for a /favicon.ico it does not have.
const FAVICON =
  "data:image/svg+xml," +
  encodeURIComponent(
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#1d5bd6"/><path d="M9 23V9h8a4 4 0 0 1 0 8H9m8 0a3 3 0 0 1 0 6H9" fill="none" stroke="#fff" stroke-width="3" stroke-linejoin="round"/></svg>',
  );

export const links: LinksFunction = () => [
  { rel: "icon", href: FAVICON, type: "image/svg+xml" },
  { rel: "stylesheet", href: stylesheet },
];

export const meta: MetaFunction = ({ error }) => [{ title: error ? "Error · Backlight" : "Backlight" }];

export const headers = forwardHeaders;

export async function loader({ request, context }: LoaderFunctionArgs) {
  // Lenient on purpose: a bad ?lang= is the page's 400 to report, and this page still needs a language.
  const { locale } = chooseLocale(request);
  // Who is signed in, for the header (pages check access themselves), and the session's CSRF token for
  // the forms that change something (sign-out, the admin pages).
  const ctx = context.backlight;
  const viewer = ctx?.viewer?.via === "session" ? { email: ctx.viewer.email, role: ctx.viewer.role } : null;
  const csrf = viewer && ctx?.sessionId ? currentGate().csrfToken(ctx.sessionId) : null;
  const through = viewer ? await ordersThrough(locale) : null;
  // Business events, drawn on every time chart (a few dozen at most; the charts keep those in range).
  const events = viewer
    ? (await currentGate().state.events()).map((e) => ({
        day: e.day,
        label: e.label[locale],
        country: e.country,
      }))
    : [];
  return data({ locale, viewer, csrf, through, events }, { headers: { Vary: "Accept-Language, Cookie" } });
}

/** How old the data is, for the header: its last day with orders, and how many days before today. */
async function ordersThrough(locale: Locale) {
  try {
    const dims = await readDimensions(getWarehouse());
    const data = dims.state === "ready" ? dims.result.data : null;
    if (!data) return null;
    // The last whole day; a day the extract stopped during is named beside it, with its last order's time.
    const last = data.through ?? data.to;
    const daysAgo = Math.floor((Date.now() - Date.parse(`${last}T00:00:00Z`)) / 86_400_000);
    const partial =
      data.through && data.cutoff
        ? { day: data.to, display: formatDate(data.to, locale), time: data.cutoff }
        : null;
    return { day: last, display: formatDate(last, locale), daysAgo, partial };
  } catch {
    // The header never fails a page: the page reports an unreadable warehouse itself.
    return null;
  }
}

function useLocale(): Locale {
  const fromLoader = useRouteLoaderData<typeof loader>("root")?.locale;
  // A 404 has no loader data: the address's ?lang= still says which language to answer in.
  const lang = new URLSearchParams(useLocation().search).get("lang");
  return fromLoader ?? (lang && lang in LANG_PARAMS ? LANG_PARAMS[lang as LangParam] : DEFAULT_LOCALE);
}

export function Layout({ children }: { children: ReactNode }) {
  const locale = useLocale();
  const nonce = useNonce();
  return (
    <html lang={locale}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light dark" />
        <Meta />
        <Links />
      </head>
      <body>
        {children}
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  useHydratedMarker();
  return <Outlet />;
}

/**
 * Marks the page as hydrated (`<html data-hydrated>`), once React has taken over the server's HTML:
 * browser tests wait for it before anything that touches the DOM (an accessibility scan sets styles for
 * a moment, which React would then find on elements it has not hydrated yet).
 */
function useHydratedMarker() {
  useEffect(() => {
    document.documentElement.dataset.hydrated = "";
  }, []);
}

interface ErrorView {
  status: number;
  title: string;
  message: string;
  /** For a bad parameter: the same page without it, the other filters kept. */
  retry?: { href: string; param: string } | undefined;
}

/** The retry link a page loader put in its 400 (a same-site path only). */
function retryOf(payload: unknown): ErrorView["retry"] {
  if (typeof payload !== "object" || payload === null || !("retry" in payload)) return undefined;
  const retry = (payload as { retry: unknown }).retry;
  if (typeof retry !== "object" || retry === null) return undefined;
  const { href, param } = retry as { href?: unknown; param?: unknown };
  if (typeof href !== "string" || typeof param !== "string" || !/^\/(?![/\\])/.test(href)) return undefined;
  return { href, param };
}

/** What a reader may see about an error: a status and a sentence, never a stack or a file path. */
function describeError(error: unknown, messages: Messages): ErrorView {
  if (isRouteErrorResponse(error)) {
    const payload: unknown = error.data;
    const message =
      typeof payload === "object" &&
      payload !== null &&
      "message" in payload &&
      typeof payload.message === "string"
        ? payload.message
        : undefined;
    if (error.status === 404) {
      return {
        status: 404,
        title: messages.errorTitles.notFound,
        message: message ?? messages.notFoundMessage,
      };
    }
    if (error.status === 400) {
      return {
        status: 400,
        title: messages.errorTitles.badRequest,
        message: message ?? messages.unexpectedMessage,
        retry: retryOf(payload),
      };
    }
    if (error.status === 403) {
      return {
        status: 403,
        title: messages.errorTitles.forbidden,
        message: message ?? messages.unexpectedMessage,
      };
    }
    if (error.status === 503) {
      return {
        status: 503,
        title: messages.errorTitles.unavailable,
        message: message ?? messages.warehouseUnreadable,
      };
    }
    return {
      status: error.status,
      title: messages.errorTitles.unexpected,
      message: messages.unexpectedMessage,
    };
  }
  return { status: 500, title: messages.errorTitles.unexpected, message: messages.unexpectedMessage };
}

export function ErrorBoundary() {
  useHydratedMarker();
  const locale = useLocale();
  const messages = MESSAGES[locale];
  const { status, title, message, retry } = describeError(useRouteError(), messages);
  const lang = new URLSearchParams(useLocation().search).get("lang");
  // Inside the site's frame: navigation, language and sign out stay at hand.
  return (
    <>
      <SiteHeader locale={locale} />
      <main id="main" className="page">
        <section className="notice notice--error" aria-labelledby="error-title">
          <p className="notice__status">{status}</p>
          <h2 id="error-title">{title}</h2>
          <p data-error-message>{message}</p>
          {retry ? (
            <p>
              <a href={retry.href} data-retry>
                {messages.retryWithout(retry.param)}
              </a>
            </p>
          ) : null}
          <p>
            <a href={lang ? `/?lang=${encodeURIComponent(lang)}` : "/"}>{messages.backToDashboard}</a>
          </p>
        </section>
      </main>
    </>
  );
}
