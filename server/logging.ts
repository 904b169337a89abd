// JSON request logs with a request id. Logged: method, path (never the query string: it may carry a token),
// status, duration, request id. Never headers, cookies, bodies or secrets.
import crypto from "node:crypto";
import type { RequestHandler } from "express";
import pino, { type Logger } from "pino";

export function createLogger(level: string): Logger {
  return pino({
    level,
    base: undefined,
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: ["*.password", "*.token", "*.code", "*.secret", "*.cookie", "*.authorization"], censor: "[redacted]" },
  });
}

const REQUEST_ID = /^[A-Za-z0-9-]{8,64}$/;

export function requestLogger(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const incoming = req.get("x-request-id");
    const requestId = incoming && REQUEST_ID.test(incoming) ? incoming : crypto.randomUUID();
    res.locals.requestId = requestId;
    res.setHeader("X-Request-Id", requestId);
    const started = process.hrtime.bigint();
    res.on("finish", () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      logger.info({
        msg: "request",
        requestId,
        method: req.method,
        path: req.originalUrl.split("?")[0],
        status: res.statusCode,
        ms: Math.round(ms * 10) / 10,
      });
    });
    next();
  };
}
