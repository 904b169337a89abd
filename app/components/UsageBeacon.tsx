// Loads the anonymous usage beacon (./usage-beacon.tsx, privacy promises P6, P16) only when the visitor has consented
// to analytics — on load, or the moment they choose "Allow" in the consent banner. Visitors without that consent
// never even download it; this stub is all every page carries.
import { useEffect, useState, type ComponentType } from "react";

// The consent contract of app/utils/consent.ts (key "mn.consent.v1", event "mn:consent"), read here without importing
// it (and repeated in ./usage-beacon.tsx), so this stub stays tiny and splits no shared chunk off the root bundle.
const CONSENT_EVENT = "mn:consent";
function analyticsConsented(): boolean {
  try {
    return (
      (JSON.parse(localStorage.getItem("mn.consent.v1") ?? "null") as { analytics?: unknown } | null)?.analytics ===
      true
    );
  } catch {
    return false;
  }
}

export function UsageBeacon() {
  const [Beacon, setBeacon] = useState<ComponentType | null>(null);
  useEffect(() => {
    const load = () => void import("./usage-beacon").then((m) => setBeacon(() => m.Beacon));
    if (analyticsConsented()) load();
    const onConsent = (e: Event) => {
      if ((e as CustomEvent<{ analytics?: boolean }>).detail?.analytics === true) load();
    };
    window.addEventListener(CONSENT_EVENT, onConsent);
    return () => window.removeEventListener(CONSENT_EVENT, onConsent);
  }, []);
  return Beacon ? <Beacon /> : null;
}
