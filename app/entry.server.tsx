import { Writable } from "node:stream";
import { promisify } from "node:util";
import zlib from "node:zlib";
import type { ActionFunctionArgs, AppLoadContext, EntryContext, LoaderFunctionArgs } from "@remix-run/node";
import { isRouteErrorResponse, RemixServer } from "@remix-run/react";
import { renderToPipeableStream } from "react-dom/server";
import { recordServerError } from "./core.server";
import { NonceContext } from "./utils/nonce";

const ABORT_DELAY = 5_000;

/**
 * Documents are rendered whole and compressed in one call. No route defers data, so streaming gained nothing, and
 * a streamed page went through the compression middleware one React chunk at a time with a flush after each (Remix
 * flushes after every chunk): ten or more zlib round trips through the thread pool per page, a larger result (no
 * shared window between flushes) and, measured here, half the throughput of an uncompressed answer. One call
 * costs 0.1–0.6 ms for our 11–25 KB pages (docs/performance.md), and it runs on the thread pool: under load the
 * one JavaScript thread is what limits a signed-in page, while the second core has room. Brotli stays at quality
 * 4, a CPU budget.
 */
const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);
async function encodeDocument(
  html: Buffer,
  encoding: AppLoadContext["documentEncoding"],
  headers: Headers,
): Promise<Buffer> {
  if (!encoding || html.length < 1024) return html;
  const body =
    encoding === "br"
      ? await brotli(html, {
          params: {
            [zlib.constants.BROTLI_PARAM_QUALITY]: 4,
            [zlib.constants.BROTLI_PARAM_SIZE_HINT]: html.length,
          },
        })
      : await gzip(html, { level: zlib.constants.Z_DEFAULT_COMPRESSION });
  headers.set("Content-Encoding", encoding);
  headers.append("Vary", "Accept-Encoding");
  return body;
}

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const nonce = loadContext.cspNonce;
  return new Promise<Response>((resolve, reject) => {
    let shellRendered = false;
    const chunks: Buffer[] = [];
    const sink = new Writable({
      // React listens for "close" on its destination to stop rendering; after a finished render it then calls end()
      // on the finished stream again, which builds (and drops) an error with a stack trace on every request.
      emitClose: false,
      write(chunk: Buffer, _encoding, done) {
        chunks.push(chunk);
        done();
      },
      final(done) {
        clearTimeout(timer);
        responseHeaders.set("Content-Type", "text/html; charset=utf-8");
        encodeDocument(Buffer.concat(chunks), loadContext.documentEncoding, responseHeaders).then(
          (body) => {
            responseHeaders.set("Content-Length", String(body.length));
            // A Buffer is a Uint8Array over an ArrayBuffer here (never shared memory); the DOM types cannot see it.
            const bytes = body as Uint8Array<ArrayBuffer>;
            resolve(new Response(bytes, { headers: responseHeaders, status: responseStatusCode }));
            done();
          },
          (error: unknown) => {
            const failure = error instanceof Error ? error : new Error(String(error));
            reject(failure);
            done(failure);
          },
        );
      },
    });
    const { pipe, abort } = renderToPipeableStream(
      <NonceContext.Provider value={nonce}>
        <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />
      </NonceContext.Provider>,
      {
        nonce,
        onShellReady() {
          shellRendered = true;
        },
        onAllReady() {
          pipe(sink);
        },
        onShellError(error: unknown) {
          clearTimeout(timer);
          reject(error instanceof Error ? error : new Error(String(error)));
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          // A shell error is rejected above and reported by Remix; log only what happens after it.
          if (shellRendered) console.error(error);
        },
      },
    );
    // Cleared once the page is complete: a pending timer would keep the whole render alive for 5 s after it.
    const timer = setTimeout(abort, ABORT_DELAY);
  });
}

/**
 * Server errors in loaders, actions and rendering (P7): recorded as scrubbed error reports (path only, no query
 * string, no user).
 */
export function handleError(error: unknown, { request, context }: LoaderFunctionArgs | ActionFunctionArgs) {
  // Aborted requests and route error responses (404 for an unknown URL, thrown 4xx answers) are not server errors.
  if (request.signal.aborted || isRouteErrorResponse(error)) return;
  console.error(error);
  void recordServerError(context.services.db.prisma, error, new URL(request.url).pathname);
}
