/**
 * A throwaway CA and a server certificate for 127.0.0.1/localhost, made with the `openssl`
 * CLI in a fresh temp directory (ECDSA P-256: fast to generate, accepted by Go and Node).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface TestPki {
  dir: string;
  caFile: string;
  caPem: string;
  certPem: string;
  keyPem: string;
}

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

export function makeTestPki(commonName = 'pulldoctor-test-ca'): TestPki {
  const dir = mkdtempSync(path.join(tmpdir(), 'pulldoctor-pki-'));
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl(
    [
      'req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', `/CN=${commonName}`,
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
    ],
    dir,
  );
  openssl(['req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1'], dir);
  writeFileSync(
    path.join(dir, 'server.ext'),
    [
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
      'basicConstraints=CA:FALSE',
      'keyUsage=critical,digitalSignature,keyEncipherment',
      'extendedKeyUsage=serverAuth',
      '',
    ].join('\n'),
  );
  openssl(
    [
      'x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial',
      '-out', 'server.crt', '-days', '2', '-extfile', 'server.ext',
    ],
    dir,
  );
  const read = (f: string) => readFileSync(path.join(dir, f), 'utf8');
  return { dir, caFile: path.join(dir, 'ca.crt'), caPem: read('ca.crt'), certPem: read('server.crt'), keyPem: read('server.key') };
}

let shared: Omit<TestPki, 'dir' | 'caFile'> | undefined;

/**
 * A PKI for the API double, one per test process, made on first use (three `openssl` runs for
 * every double would add up: a file starts dozens of them), in a directory of its own like
 * makeTestPki's, with only the CA certificate in it: the caller removes `dir`. A test that
 * needs a CA of its own calls makeTestPki.
 */
export function sharedTestPki(): TestPki {
  if (!shared) {
    const { dir, caFile: _caFile, ...pems } = makeTestPki();
    rmSync(dir, { recursive: true, force: true });
    shared = pems;
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'pulldoctor-pki-'));
  const caFile = path.join(dir, 'ca.crt');
  writeFileSync(caFile, shared.caPem);
  return { dir, caFile, ...shared };
}
