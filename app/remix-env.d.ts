/// <reference types="@remix-run/dev" />
/// <reference types="@remix-run/node" />
import type { RequestContext } from "../core/platform/services.ts";

declare module "@remix-run/server-runtime" {
  // Remix hands loaders and actions the object server/app.ts builds for each request.
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface AppLoadContext extends RequestContext {}
}

declare module "@remix-run/node" {
  // Single Fetch types: loaders/actions returning data() are typed by their payload.
  interface Future {
    v3_singleFetch: true;
  }
}
