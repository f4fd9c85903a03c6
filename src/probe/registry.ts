/**
 * A minimal Registry HTTP API v2 client for the opt-in probe: ping (`GET /v2/`) → challenge,
 * Bearer token flow or Basic, then `HEAD` (falling back to `GET`) on a manifest, classified
 * into a ProbeOutcome (outcome.ts).
 *
 * Credentials (Basic) go only to the registry host or to the token realm it names, and the
 * bearer token only to the registry host (the transport drops the header on a redirect
 * elsewhere); a token realm must be HTTPS unless its host is listed as insecure. No password,
 * `user:password` encoding or token ever reaches a detail string, an error or a log: details are
 * built from metadata and scrubbed once more before they leave (credential.ts).
 */
import { oneLine } from '../util/text.js';
import { parseChallenges, type Challenge } from './challenge.js';
import { basicHeader, credentialKey, scrub, secretFormsOf, whoText, type Credential } from './credential.js';
import { bodyFacts, headerFacts, MANIFEST_ACCEPT, MAX_MANIFEST_BODY, needsBody, type ManifestFacts } from './manifest.js';
import { classifyNodeError, NetError } from './net-error.js';
import {
  manifestFailure,
  manifestText,
  outcomeFromNetError,
  pingOutcome,
  pulled,
  rateLimited,
  tokenRefusal,
  type AttemptResult,
  type ManifestAsker,
} from './outcome.js';
import { invalidTarget, isDigestReference, type ManifestTarget } from './target.js';
import { MAX_SMALL_BODY, type RawResponse, type Transport } from './transport.js';

/** Token responses (JWTs with long access lists can be a few tens of KiB). */
const MAX_TOKEN_BODY = 1024 * 1024;

interface Ping {
  base: URL; // scheme://host
  res: RawResponse;
  challenges: Challenge[];
  /** How the registry was reached, for the end of a detail: `; over plain HTTP (…)`, or empty. */
  via: string;
}

/** A step of a probe: its value, or the result that ends the probe. */
type Step<T> = { ok: true; value: T } | { ok: false; result: AttemptResult };
const next = <T>(value: T): Step<T> => ({ ok: true, value });
const stop = <T>(result: AttemptResult): Step<T> => ({ ok: false, result });

/** How the manifest requests authenticate, once the ping's challenge is answered. */
interface Authorization {
  kind: 'none' | 'basic' | 'bearer';
  /** The Authorization header value; none for `none`. */
  header?: string;
  /** The bearer token, to scrub from details. */
  token?: string;
  challengeText: string;
}

/** One manifest check under way: who asks, and the requests it makes. */
interface ManifestCheck extends ManifestAsker {
  /** `/v2/<path>/` on the base the ping found. */
  repoBase: URL;
  url: URL;
  send(method: 'GET' | 'HEAD', url: URL, maxBody?: number): Promise<RawResponse>;
}

/**
 * Shares pings (anonymous, per host) and tokens (per realm, service, scope, credential)
 * across the attempts of one scan.
 */
export class RegistryClient {
  private readonly pings = new Map<string, Promise<Ping>>();
  private readonly tokens = new Map<string, Promise<Step<string>>>();
  constructor(readonly transport: Transport) {}

  /**
   * One kubelet-style pull check of a manifest with one credential (or anonymously).
   * Returns the outcome; never throws for network or protocol problems.
   */
  async probe(target: ManifestTarget, cred: Credential | undefined): Promise<AttemptResult> {
    const secrets = secretFormsOf(cred);
    let result: AttemptResult;
    try {
      result = await this.check(target, cred, secrets);
    } catch (err) {
      const e = err instanceof NetError ? err : classifyNodeError(err, new URL(`https://${target.host}`));
      result = outcomeFromNetError(e, target.host);
    }
    // Defence in depth: nothing secret may leave, whatever a server echoed back.
    result.detail = scrub(result.detail, secrets);
    return result;
  }

  /** The steps of one check: a target inside the grammar, the ping, the challenge, the manifest. */
  private async check(target: ManifestTarget, cred: Credential | undefined, secrets: string[]): Promise<AttemptResult> {
    const invalid = invalidTarget(target);
    if (invalid) return { outcome: 'error', detail: `not probed: ${invalid}` };
    const ping = await this.reach(target.host);
    if (!ping.ok) return ping.result;
    const auth = await this.authorize(ping.value, target, cred);
    if (!auth.ok) return auth.result;
    if (auth.value.token) secrets.push(auth.value.token);
    const m = this.manifestCheck(ping.value, target, cred, auth.value);
    const answer = await this.askManifest(m);
    if (!answer.ok) return answer.result;
    const facts = await this.readManifest(m, answer.value);
    if (!facts.ok) return facts.result;
    return pulled(m, facts.value);
  }

  // ───────────────────────────── GET /v2/ ─────────────────────────────

  /** `GET /v2/` over HTTPS; for insecure-listed hosts, plain HTTP when HTTPS fails. */
  ping(host: string): Promise<Ping> {
    let p = this.pings.get(host);
    if (!p) {
      p = this.doPing(host);
      this.pings.set(host, p);
    }
    return p;
  }

  private async doPing(host: string): Promise<Ping> {
    const secureUrl = new URL(`https://${host}/v2/`);
    try {
      const res = await this.transport.send({ method: 'GET', url: secureUrl });
      return { base: new URL(`https://${host}`), res, challenges: parseChallenges(res.wwwAuthenticate), via: '' };
    } catch (err) {
      const e = classifyNodeError(err, secureUrl);
      if (!this.transport.isInsecure(host) || !(e.kind === 'tls' || (e.kind === 'unreachable' && e.code === 'ECONNREFUSED'))) throw e;
      const plain = new URL(`http://${host}/v2/`);
      try {
        const res = await this.transport.send({ method: 'GET', url: plain });
        return {
          base: new URL(`http://${host}`),
          res,
          challenges: parseChallenges(res.wwwAuthenticate),
          via: `; over plain HTTP (${host} is listed as an insecure registry; HTTPS failed: ${e.code ?? e.kind})`,
        };
      } catch (err2) {
        const e2 = classifyNodeError(err2, plain);
        throw new NetError(e2.kind, `${e2.message} (over plain HTTP: ${host} is listed as an insecure registry; HTTPS failed: ${e.code ?? e.kind})`, e2.code);
      }
    }
  }

  /** The ping, unless it already decides the outcome (unreachable, 429, 403, not a registry…). */
  private async reach(host: string): Promise<Step<Ping>> {
    let ping: Ping;
    try {
      ping = await this.ping(host);
    } catch (err) {
      return stop(outcomeFromNetError(classifyNodeError(err, new URL(`https://${host}/v2/`)), `GET /v2/ on ${host}`));
    }
    const decided = pingOutcome(ping.res, host, ping.via);
    return decided ? stop(decided) : next(ping);
  }

  // ───────────────────────────── the challenge ─────────────────────────────

  /** Answer the ping's 401 challenge: a Bearer token for `repository:<path>:pull`, or Basic. */
  private async authorize(ping: Ping, target: ManifestTarget, cred: Credential | undefined): Promise<Step<Authorization>> {
    const { host } = target;
    if (ping.res.status !== 401) return next({ kind: 'none', challengeText: '' });
    const bearer = ping.challenges.find((c) => c.scheme === 'bearer');
    if (bearer) return this.bearer(bearer, ping, target, cred);
    const basic = ping.challenges.find((c) => c.scheme === 'basic');
    if (basic) {
      const challengeText = `Basic${basic.params.realm ? ` realm "${oneLine(basic.params.realm, 80)}"` : ''}`;
      return next(cred ? { kind: 'basic', header: basicHeader(cred), challengeText } : { kind: 'none', challengeText });
    }
    const schemes = ping.challenges.map((c) => c.scheme).join(', ') || 'none';
    return stop({ outcome: 'error', httpStatus: 401, detail: `${host} asks for an authentication scheme the probe does not speak (${schemes})${ping.via}` });
  }

  private async bearer(challenge: Challenge, ping: Ping, target: ManifestTarget, cred: Credential | undefined): Promise<Step<Authorization>> {
    const { host, path } = target;
    const { via } = ping;
    const realmRaw = challenge.params.realm;
    if (!realmRaw) return stop({ outcome: 'error', httpStatus: 401, detail: `${host} sent a Bearer challenge without a realm${via}` });
    let realm: URL;
    try {
      realm = new URL(realmRaw);
    } catch {
      return stop({ outcome: 'error', httpStatus: 401, detail: `${host} sent a Bearer challenge with an invalid realm${via}` });
    }
    if (!this.transport.allowed(realm)) {
      return stop({
        outcome: 'error',
        httpStatus: 401,
        detail: `the token realm ${realm.protocol}//${realm.host}${realm.pathname} named by ${host} is not HTTPS; credentials were not sent (list ${realm.host} with --insecure-registry to allow it)`,
      });
    }
    const service = challenge.params.service;
    const scope = `repository:${path}:pull`;
    const token = await this.token(realm, service, scope, cred);
    if (!token.ok) return stop({ ...token.result, detail: token.result.detail + via });
    return next({
      kind: 'bearer',
      header: `Bearer ${token.value}`,
      token: token.value,
      challengeText: `Bearer realm ${realm.host}${service ? `, service ${service}` : ''}, scope ${scope}`,
    });
  }

  private token(realm: URL, service: string | undefined, scope: string, cred: Credential | undefined): Promise<Step<string>> {
    const key = [realm.href, service ?? '', scope, credentialKey(cred)].join('\0');
    let p = this.tokens.get(key);
    if (!p) {
      p = this.fetchToken(realm, service, scope, cred);
      this.tokens.set(key, p);
    }
    return p;
  }

  /** The token service, with the credential as Basic (sent to the realm's host only). */
  private async fetchToken(realm: URL, service: string | undefined, scope: string, cred: Credential | undefined): Promise<Step<string>> {
    const url = new URL(realm.href);
    if (service !== undefined) url.searchParams.set('service', service);
    url.searchParams.set('scope', scope);
    const where = `token service ${realm.protocol}//${realm.host}${realm.pathname}`;
    let res: RawResponse;
    try {
      res = await this.transport.send({
        method: 'GET',
        url,
        headers: { accept: 'application/json' },
        maxBody: MAX_TOKEN_BODY,
        ...(cred ? { authorization: basicHeader(cred), authHosts: new Set([realm.host.toLowerCase()]) } : {}),
      });
    } catch (err) {
      return stop(outcomeFromNetError(classifyNodeError(err, url), where));
    }
    if (res.status === 200) {
      try {
        const doc = JSON.parse(res.body.toString('utf8')) as { token?: unknown; access_token?: unknown };
        const token = typeof doc.token === 'string' && doc.token ? doc.token : typeof doc.access_token === 'string' ? doc.access_token : '';
        if (token) return next(token);
      } catch {
        // fall through
      }
    }
    return stop(tokenRefusal(res, { where, who: whoText(cred), scope, anonymous: !cred }));
  }

  // ───────────────────────────── the manifest ─────────────────────────────

  private manifestCheck(ping: Ping, target: ManifestTarget, cred: Credential | undefined, auth: Authorization): ManifestCheck {
    const authHosts = new Set([target.host.toLowerCase()]);
    const repoBase = new URL(`/v2/${target.path}/`, ping.base);
    return {
      target,
      who: whoText(cred),
      anonymous: !cred,
      authKind: auth.kind,
      challengeText: auth.challengeText,
      via: ping.via,
      repoBase,
      url: new URL(`manifests/${target.reference}`, repoBase),
      send: (method, url, maxBody = MAX_SMALL_BODY) =>
        this.transport.send({
          method,
          url,
          headers: { accept: MANIFEST_ACCEPT },
          maxBody,
          ...(auth.header ? { authorization: auth.header, authHosts } : {}),
        }),
    };
  }

  /** `HEAD` on the manifest; on anything but 200 a `GET`, whose answer carries the error body. */
  private async askManifest(m: ManifestCheck): Promise<Step<RawResponse>> {
    const what = manifestText(m.target);
    let res: RawResponse;
    try {
      res = await m.send('HEAD', m.url);
    } catch (err) {
      return stop(outcomeFromNetError(classifyNodeError(err, m.url), `HEAD ${what}`));
    }
    if (res.status === 429) return stop(rateLimited(res, `HEAD ${what}`));
    if (res.status === 200) return next(res);
    // HEAD carries no error body (and some registries do not support HEAD): ask with GET.
    let full = res;
    try {
      full = await m.send('GET', m.url, MAX_MANIFEST_BODY);
    } catch {
      // keep the HEAD answer
    }
    if (full.status === 429) return stop(rateLimited(full, `GET ${what}`));
    if (full.status !== 200) return stop(await this.failure(full, m));
    return next(full);
  }

  /** The media type, digest and platforms; a `GET` for the body when the headers leave them open. */
  private async readManifest(m: ManifestCheck, answer: RawResponse): Promise<Step<ManifestFacts>> {
    let res = answer;
    let facts = headerFacts(res);
    if (needsBody(res, facts)) {
      const what = manifestText(m.target);
      try {
        res = await m.send('GET', m.url, MAX_MANIFEST_BODY);
      } catch (err) {
        return stop(outcomeFromNetError(classifyNodeError(err, m.url), `GET ${what}`));
      }
      if (res.status === 429) return stop(rateLimited(res, `GET ${what}`));
      if (res.status !== 200) return stop(await this.failure(res, m));
      facts = headerFacts(res, facts);
    }
    facts = bodyFacts(res, facts);
    const { reference } = m.target;
    if (isDigestReference(reference)) facts = { ...facts, digest: facts.digest ?? reference };
    return next(facts);
  }

  private failure(res: RawResponse, m: ManifestCheck): Promise<AttemptResult> {
    return manifestFailure(res, m, async () => {
      try {
        return await m.send('GET', new URL('tags/list?n=1', m.repoBase));
      } catch {
        return undefined;
      }
    });
  }
}
