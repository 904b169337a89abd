// A loopback port nothing listens on right now: the system picks it, the probe releases it for the caller's server
// to take. Fixed or random ranges have landed on other services' ports here (4222, once). Used by the bench, the
// soak and the process tests.
import net from "node:net";

export async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", resolve);
  });
  const { port } = probe.address() as net.AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}
