// Types for Remix single fetch (v3_singleFetch in remix.config.js): loaders' data() infers through useLoaderData.
import "@remix-run/node";

declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}
