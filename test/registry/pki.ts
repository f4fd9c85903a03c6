/**
 * Test PKI made with the `openssl` CLI in a fresh temp directory: a CA, server certificates
 * for 127.0.0.1/localhost signed by it, and an RSA key + self-signed certificate for signing
 * registry tokens (RS256).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

export interface Ca {
  dir: string;
  name: string;
  certFile: string;
  keyFile: string;
  certPem: string;
}

export interface ServerCert {
  certFile: string;
  keyFile: string;
  certPem: string;
  keyPem: string;
}

export interface SigningCert {
  certFile: string;
  keyPem: string;
  /** base64 DER of the certificate, for the JWT `x5c` header. */
  certDerBase64: string;
}

export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(tmpdir(), `pulldoctor-${prefix}-`));
}

export function makeCa(name: string, dir = tempDir('pki')): Ca {
  openssl(
    [
      'req', '-x509', ...EC, '-keyout', `${name}.key`, '-out', `${name}.crt`, '-days', '2', '-subj', `/CN=${name}`,
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
    ],
    dir,
  );
  const certFile = path.join(dir, `${name}.crt`);
  return { dir, name, certFile, keyFile: path.join(dir, `${name}.key`), certPem: readFileSync(certFile, 'utf8') };
}

export function makeServerCert(ca: Ca, name: string, subjectAltName = 'IP:127.0.0.1,DNS:localhost'): ServerCert {
  const dir = ca.dir;
  openssl(['req', ...EC, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', '/CN=127.0.0.1'], dir);
  writeFileSync(
    path.join(dir, `${name}.ext`),
    [
      `subjectAltName=${subjectAltName}`,
      'basicConstraints=CA:FALSE',
      'keyUsage=critical,digitalSignature,keyEncipherment',
      'extendedKeyUsage=serverAuth',
      '',
    ].join('\n'),
  );
  openssl(
    [
      'x509', '-req', '-in', `${name}.csr`, '-CA', ca.certFile, '-CAkey', ca.keyFile, '-CAcreateserial',
      '-out', `${name}.crt`, '-days', '2', '-extfile', `${name}.ext`,
    ],
    dir,
  );
  const certFile = path.join(dir, `${name}.crt`);
  const keyFile = path.join(dir, `${name}.key`);
  return { certFile, keyFile, certPem: readFileSync(certFile, 'utf8'), keyPem: readFileSync(keyFile, 'utf8') };
}

/** RSA 2048 key and a self-signed certificate: the registry's `rootcertbundle` trusts it. */
export function makeSigningCert(dir: string, name = 'token-signer'): SigningCert {
  openssl(
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.crt`, '-days', '2', '-subj', `/CN=${name}`],
    dir,
  );
  const certFile = path.join(dir, `${name}.crt`);
  const pem = readFileSync(certFile, 'utf8');
  const b64 = pem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
  return { certFile, keyPem: readFileSync(path.join(dir, `${name}.key`), 'utf8'), certDerBase64: b64 };
}
