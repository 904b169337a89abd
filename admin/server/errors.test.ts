// The back-office answers a DomainError with the same HTTP status as the site (core's httpStatusOf).
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { httpStatusOf, type DomainErrorCode } from "../../core/errors/index.ts";
import { domainToTrpc } from "./trpc.ts";

describe("DomainError statuses", () => {
  const codes = Object.keys(httpStatusOf) as DomainErrorCode[];

  it("covers every code (VALIDATION to UNAVAILABLE)", () => {
    expect(codes.sort()).toEqual(Object.keys(domainToTrpc).sort());
    expect(codes.length).toBeGreaterThanOrEqual(8);
  });

  it.each(codes)("%s has the same HTTP status through tRPC as on the site", (code) => {
    const status = getHTTPStatusCodeFromError(new TRPCError({ code: domainToTrpc[code] }));
    expect(status).toBe(httpStatusOf[code]);
  });
});
