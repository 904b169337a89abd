// JSON request logs with a request id. Logged: method, path (never the query string: it may carry a token),
// status, duration, request id. Never headers, cookies, bodies or secrets.
import crypto from "node:crypto";
import type { IncomingHttpHeaders, ServerResponse } from "node:http";
import type { RequestHandler } from "express";
import pino, { type Logger } from "pino";

export function createLogger(level: string): Logger {
  return pino({
    level,
    base: undefined,
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: ["*.password", "*.token", "*.code", "*.secret", "*.cookie", "*.authorization"],
      censor: "[redacted]",
    },
  });
}

const REQUEST_ID = /^[A-Za-z0-9-]{8,64}$/;

/**
 * Starts the log of one request: its id (the caller's X-Request-Id when well-formed, else a new one) goes into the
 * response's X-Request-Id header, and one line is logged when the response finishes. Used by the express chain and
 * by the page cache's fast path (server/app.ts), which answers before express and writes the header itself
 * (`setHeader: false`): one `setHeader` before `writeHead` sends node down its slow path for every other header.
 */
export function startRequestLog(
  logger: Logger,
  req: { method?: string; url?: string; headers: IncomingHttpHeaders },
  res: ServerResponse,
  { setHeader = true }: { setHeader?: boolean } = {},
): string {
  const incoming = req.headers["x-request-id"];
  const requestId = typeof incoming === "string" && REQUEST_ID.test(incoming) ? incoming : crypto.randomUUID();
  if (setHeader) res.setHeader("X-Request-Id", requestId);
  const started = process.hrtime.bigint();
  res.on("finish", () => {
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    logger.info({
      msg: "request",
      requestId,
      method: req.method,
      path: (req.url ?? "/").split("?")[0],
      status: res.statusCode,
      ms: Math.round(ms * 10) / 10,
    });
  });
  return requestId;
}

export function requestLogger(logger: Logger): RequestHandler {
  return (req, res, next) => {
    res.locals.requestId = startRequestLog(
      logger,
      { method: req.method, url: req.originalUrl, headers: req.headers },
      res,
    );
    next();
  };
}
