/**
 * A TCP pass-through on 127.0.0.1 in front of a registry that counts the connections made to
 * it. It does not look inside (TLS stays end to end), so it sees every contact — also a TLS
 * handshake that fails, which never reaches the registry's access log.
 */
import net from 'node:net';
import type { AddressInfo } from 'node:net';

export interface CountingProxy {
  /** `127.0.0.1:<port>`: use this host in image references. */
  host: string;
  port: number;
  /** Connections accepted so far. */
  connections(): number;
  stop(): Promise<void>;
}

export async function startCountingProxy(targetPort: number, targetHost = '127.0.0.1'): Promise<CountingProxy> {
  let count = 0;
  const open = new Set<net.Socket>();
  const server = net.createServer((client) => {
    count++;
    const upstream = net.connect({ host: targetHost, port: targetPort });
    open.add(client);
    open.add(upstream);
    const close = () => {
      client.destroy();
      upstream.destroy();
      open.delete(client);
      open.delete(upstream);
    };
    client.on('error', close);
    upstream.on('error', close);
    client.on('close', close);
    upstream.on('close', close);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    host: `127.0.0.1:${port}`,
    port,
    connections: () => count,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of open) s.destroy();
        server.close(() => resolve());
      }),
  };
}
