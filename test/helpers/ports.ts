/**
 * A loopback port that nothing listens on, for a server a test starts in a child process
 * (docker-registry, Prometheus) or for a server that must refuse connections.
 *
 * Not from the kernel's ephemeral range: every `listen(0)` of the test processes running in
 * parallel (API doubles, stubs, registries' clients) and every outgoing connection takes its
 * port from that range, so a port found free there by listening and closing can be taken again
 * before the child binds it, or before the "dead" server is asked, and the test then talks to
 * another test's server. Below the range only this helper hands out ports, at random; a port is
 * checked free by binding it once.
 */
import { readFileSync } from 'node:fs';
import net from 'node:net';

const LOWEST = 20_000;

/** The first port of the kernel's ephemeral range (Linux default 32768). */
function ephemeralStart(): number {
  try {
    const first = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    if (Number.isInteger(first) && first > LOWEST + 1000) return first;
  } catch {
    // not Linux, or no procfs: the usual start
  }
  return 32_768;
}

function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.unref();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

/** A port on 127.0.0.1 below the ephemeral range that could be bound just now. */
export async function unusedPort(): Promise<number> {
  const end = ephemeralStart();
  for (let i = 0; i < 50; i++) {
    const port = LOWEST + Math.floor(Math.random() * (end - LOWEST));
    if (await bindable(port)) return port;
  }
  throw new Error(`no free port between ${LOWEST} and ${end - 1} after 50 tries`);
}
