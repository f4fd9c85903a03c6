/**
 * deploy/Dockerfile's structure, read with a Dockerfile parser (dockerfile-ast) and linted with
 * dockerfile-utils, instead of building it (no container engine runs here): stages, pinned
 * base images, a numeric non-root USER, no ADD, an exec-form ENTRYPOINT, and a runtime stage
 * that copies only the installed package. And .dockerignore keeps the build's inputs.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DockerfileParser, type Dockerfile, type From, type Instruction } from 'dockerfile-ast';
import { validate } from 'dockerfile-utils';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { goFilepathMatch } from '../src/go/filepath.js';
import { parseImage } from '../src/image/reference.js';
import { ROOT } from './helpers/root.js';

const DOCKERFILE = path.join(ROOT, 'deploy', 'Dockerfile');
const text = readFileSync(DOCKERFILE, 'utf8');
const df: Dockerfile = DockerfileParser.parse(text);
const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  version: string;
  license: string;
  engines: { node: string };
  files: string[];
};

/** The global ARGs (before the first FROM) and their defaults. */
const globalArgs = new Map(df.getInitialARGs().map((a) => [a.getProperty()!.getName(), a.getProperty()!.getValue() ?? '']));
const expand = (s: string) => s.replace(/\$\{(\w+)\}|\$(\w+)/g, (_m, a: string | undefined, b: string | undefined) => globalArgs.get((a ?? b)!) ?? '');

interface Stage {
  from: From;
  name: string | null;
  /** The base image with the global ARGs' defaults substituted. */
  image: string;
  instructions: Instruction[];
}

const stages: Stage[] = df.getFROMs().map((from, i, froms) => {
  const start = from.getRange().start.line;
  const end = froms[i + 1]?.getRange().start.line ?? Infinity;
  return {
    from,
    name: from.getBuildStage(),
    image: expand(from.getImage() ?? ''),
    instructions: df.getInstructions().filter((ins) => ins.getRange().start.line > start && ins.getRange().start.line < end),
  };
});
const final = stages.at(-1)!;
const of = (stage: Stage, keyword: string) => stage.instructions.filter((i) => i.getKeyword() === keyword);
const args = (ins: Instruction) => ins.getArguments().map((a) => a.getValue());
const flag = (ins: Instruction, name: string) => (ins as unknown as { getFlags(): { getName(): string; getValue(): string | null }[] }).getFlags().find((f) => f.getName() === name)?.getValue();

describe('deploy/Dockerfile', () => {
  it('has no problem that a Dockerfile linter reports', () => {
    expect(validate(text).map((d) => `line ${d.range.start.line + 1}: ${d.message}`)).toEqual([]);
  });

  it('builds in a Node stage, installs in another, and runs in a distroless one', () => {
    expect(stages.map((s) => s.name)).toEqual(['build', 'install', null]);
    expect(stages[0]!.image).toBe(globalArgs.get('NODE_IMAGE'));
    expect(stages[1]!.image).toBe(globalArgs.get('NODE_IMAGE'));
    expect(final.image).toBe(globalArgs.get('RUNTIME_IMAGE'));
    expect(final.image).toMatch(/^gcr\.io\/distroless\/nodejs\d+-debian\d+:nonroot(@sha256:[0-9a-f]{64})?$/);
  });

  it('pins every base image by an explicit tag (an exact Node release for the build), or a digest', () => {
    for (const { image } of stages) {
      const parsed = parseImage(image);
      expect(parsed.ok, image).toBe(true);
      if (!parsed.ok) continue;
      const { tag, digest } = parsed.ref;
      if (digest) expect(digest, image).toMatch(/^sha256:[0-9a-f]{64}$/);
      // parseImage defaults a missing tag to latest: the tag must be written out, and not be latest.
      expect(image.includes(`:${tag}`), `${image}: no explicit tag`).toBe(true);
      expect(tag, image).not.toBe('latest');
    }
    expect(globalArgs.get('NODE_IMAGE')).toMatch(/^node:\d+\.\d+\.\d+-bookworm-slim(@sha256:[0-9a-f]{64})?$/);
  });

  it('runs the same Node major in every stage, one that package.json engines accepts', () => {
    const buildMajor = /^node:(\d+)\./.exec(globalArgs.get('NODE_IMAGE')!)![1];
    const runtimeMajor = /nodejs(\d+)-/.exec(globalArgs.get('RUNTIME_IMAGE')!)![1];
    expect(runtimeMajor).toBe(buildMajor);
    expect(pkg.engines.node).toMatch(new RegExp(`^>=${buildMajor}\\.`));
  });

  it('never ADDs (COPY only, so nothing is fetched from a URL or unpacked implicitly)', () => {
    expect(df.getInstructions().filter((i) => i.getKeyword() === 'ADD').map((i) => i.getTextContent())).toEqual([]);
  });

  it('build stage: npm ci from the lockfile, npm run build, npm pack', () => {
    const runs = of(stages[0]!, 'RUN').map((r) => args(r).join(' '));
    expect(runs[0]).toMatch(/^npm ci\b/);
    expect(runs[1]).toMatch(/^npm run build && .*npm pack --pack-destination \/out/);
    const copies = of(stages[0]!, 'COPY').map(args);
    expect(copies[0]).toEqual(['package.json', 'package-lock.json', './']);
  });

  it('install stage: takes only the packed tarball and the lockfile from the build stage, installs production dependencies', () => {
    const copies = of(stages[1]!, 'COPY');
    expect(copies.map((c) => flag(c, 'from'))).toEqual(['build']);
    expect(args(copies[0]!)).toEqual(['/out/pulldoctor.tgz', '/out/package-lock.json', '/tmp/']);
    const run = of(stages[1]!, 'RUN').map((r) => args(r).join(' ')).join(' ');
    expect(run).toMatch(/npm ci --omit=dev --ignore-scripts/);
    expect(run).toMatch(/require\("\.\/package\.json"\)\.bin\.pulldoctor/);
  });

  it('runtime stage: copies /app from the install stage and nothing from the build context', () => {
    const copies = of(final, 'COPY');
    expect(copies.map((c) => [flag(c, 'from'), ...args(c)])).toEqual([['install', '/app', '/app']]);
    expect(of(final, 'RUN')).toEqual([]);
  });

  it('runs as a numeric non-root user', () => {
    const users = of(final, 'USER').map((u) => args(u).join(' '));
    expect(users.length).toBe(1);
    const [uid, gid] = users[0]!.split(':');
    expect(uid).toMatch(/^\d+$/);
    expect(gid).toMatch(/^\d+$/);
    expect(Number(uid)).toBeGreaterThan(0);
    expect(Number(gid)).toBeGreaterThan(0);
  });

  it('has an exec-form ENTRYPOINT that runs the CLI with the image node', () => {
    const entrypoints = df.getENTRYPOINTs();
    expect(entrypoints.length).toBe(1);
    const raw = entrypoints[0]!.getArgumentsContent()!;
    // Exec form is a JSON array: no shell (there is none), signals reach node directly.
    expect(JSON.parse(raw)).toEqual(['/nodejs/bin/node', '/app/pulldoctor']);
    expect(final.instructions).toContain(entrypoints[0]);
    expect(JSON.parse(df.getCMDs().at(-1)!.getArgumentsContent()!)).toEqual(['--help']);
  });

  it('carries the OCI labels, versioned like package.json', () => {
    const labels = Object.fromEntries(
      of(final, 'LABEL').flatMap((l) =>
        (l as unknown as { getProperties(): { getName(): string; getValue(): string | null }[] }).getProperties().map((p) => [p.getName(), p.getValue()]),
      ),
    );
    expect(Object.keys(labels).sort()).toEqual(
      ['description', 'licenses', 'revision', 'source', 'title', 'version'].map((k) => `org.opencontainers.image.${k}`),
    );
    expect(labels['org.opencontainers.image.licenses']).toBe(pkg.license);
    expect(labels['org.opencontainers.image.version']).toBe('${VERSION}');
    const versionArg = of(final, 'ARG').map((a) => args(a)[0]).find((a) => a!.startsWith('VERSION='));
    expect(versionArg).toBe(`VERSION=${pkg.version}`);
  });

  it('exposes the port the serve Deployment listens on', () => {
    const deployment = parse(readFileSync(path.join(ROOT, 'deploy', 'serve', 'deployment.yaml'), 'utf8')) as {
      spec: { template: { spec: { containers: { ports: { containerPort: number }[] }[] } } };
    };
    const port = deployment.spec.template.spec.containers[0]!.ports[0]!.containerPort;
    expect(of(final, 'EXPOSE').map((e) => args(e).join(' '))).toEqual([String(port)]);
  });
});

describe('.dockerignore', () => {
  const patterns = readFileSync(path.join(ROOT, '.dockerignore'), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  /** Docker's rule: a pattern (Go filepath.Match) excludes a path or any directory above it. */
  const ignored = (p: string): boolean => {
    const parts = p.split('/');
    let excluded = false;
    for (const pattern of patterns) {
      const negate = pattern.startsWith('!');
      const body = negate ? pattern.slice(1) : pattern;
      for (let i = 1; i <= parts.length; i++) {
        if (goFilepathMatch(body, parts.slice(0, i).join('/')).matched) excluded = !negate;
      }
    }
    return excluded;
  };

  it('keeps generated, local and VCS files out of the build context', () => {
    for (const p of ['.git/config', 'node_modules/yaml/package.json', 'dist/src/cli.js', 'coverage/index.html', '.tmp/vitest.json', 'npm-debug.log', 'pulldoctor-0.1.0.tgz', '.env'])
      expect(ignored(p), p).toBe(true);
  });

  it('keeps every input of the build and of npm pack in it', () => {
    // `npm run build` is scripts/build.mjs (esbuild) over src/ and rules/.
    const inputs = [
      'package.json',
      'package-lock.json',
      'tsconfig.json',
      'scripts/build.mjs',
      'src/x.ts',
      'rules/x.ts',
      ...pkg.files.filter((f) => !f.startsWith('!') && !f.startsWith('dist')).map((f) => f.replace(/\*.*$/, 'x')),
    ];
    expect(inputs).toContain('src/x.ts');
    expect(inputs).toContain('schema');
    for (const p of inputs) expect(ignored(p), p).toBe(false);
  });
});
