// Request-body limits at the edge, before Remix (or anything else) reads a byte: forms and JSON 64 KB, the
// profile-picture upload (multipart POST to /account or /expert/profile) 5 MB plus room for the form's other fields. A body must
// declare its length: a declared length over the limit is answered 413 at once, with `Connection: close`, without
// reading the rest; a body without Content-Length (chunked) gets 411. Node's parser never delivers more than the
// declared length as this request's body, so no route can be made to buffer more than the limit. Browsers always
// send Content-Length for forms and fetch bodies; so do the webhooks we receive.
import type { Request, RequestHandler } from "express";

const KB = 1024;
export const bodyLimits = {
  default: 64 * KB,
  json: 64 * KB,
  avatarUpload: 5 * KB * KB + 64 * KB,
} as const;

const AVATAR_PATHS = new Set(["/account", "/account/", "/expert/profile", "/expert/profile/"]);

export function bodyLimitFor(req: Pick<Request, "path" | "headers">): number {
  const type = String(req.headers["content-type"] ?? "").toLowerCase();
  if (type.startsWith("multipart/form-data") && AVATAR_PATHS.has(req.path)) return bodyLimits.avatarUpload;
  if (type.startsWith("application/json")) return bodyLimits.json;
  return bodyLimits.default;
}

function refuse(res: Parameters<RequestHandler>[1], status: 411 | 413, message: string) {
  // The rest of the body is never read: the connection closes after this answer.
  res.status(status).set("Connection", "close").set("Cache-Control", "no-store").type("text/plain").send(message);
}

export function bodyLimit(): RequestHandler {
  return (req, res, next) => {
    if (req.method === "GET" || req.method === "HEAD" || req.method === "OPTIONS") return next();
    const declared = req.headers["content-length"];
    if (declared === undefined) {
      if (req.headers["transfer-encoding"] === undefined) return next(); // no body at all
      return refuse(res, 411, "Please send the length of the request.");
    }
    const length = Number(declared);
    if (!Number.isSafeInteger(length) || length < 0) return refuse(res, 413, "This request is too large.");
    if (length > bodyLimitFor(req)) return refuse(res, 413, "This request is too large.");
    next();
  };
}
