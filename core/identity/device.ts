// Device and technical data kept with a session for security (privacy promise P5): browser, OS, device model, IP.
import { UAParser } from "ua-parser-js";

export interface DeviceInfo {
  ip: string | null;
  userAgent: string | null;
  browser: string | null;
  os: string | null;
  device: string | null;
}

const clip = (value: string | undefined, max: number) => (value ? value.slice(0, max) : null);

export function describeDevice(userAgent: string | null | undefined, ip: string | null | undefined): DeviceInfo {
  const ua = userAgent ? userAgent.slice(0, 512) : null;
  const parsed = new UAParser(ua ?? "").getResult();
  const join = (...parts: (string | undefined)[]) => parts.filter(Boolean).join(" ") || undefined;
  return {
    ip: clip(ip ?? undefined, 64),
    userAgent: ua,
    browser: clip(join(parsed.browser.name, parsed.browser.major), 64),
    os: clip(join(parsed.os.name, parsed.os.version), 64),
    device: clip(
      join(parsed.device.vendor, parsed.device.model) ?? (parsed.device.type ? parsed.device.type : "Desktop"),
      64,
    ),
  };
}
