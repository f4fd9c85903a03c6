/**
 * SARIF 2.1.0 (OASIS), for code scanning (`github/codeql-action/upload-sarif` and other SARIF
 * viewers): one run, the tool's rules with their runbooks as help, one result per finding at the
 * manifest field it is about (`physicalLocation` with a region), the workload as a logical
 * location, and the finding id as a partial fingerprint so an alert keeps its identity across
 * runs. Levels: error → error, warning → warning, info → note.
 *
 * Paths are written relative to the working directory (a repository checkout, where the upload
 * action resolves them) with `%SRCROOT%` as their base; a file outside it keeps a `file:` URI.
 * Text from manifests and clusters is stripped of control sequences. No secret value is in a
 * report, so none can be in this one.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as Sarif from 'sarif';
import type { RuleMeta } from '../engine/rule.js';
import type { Finding, Report, Severity } from '../model/finding.js';
import { readRunbook } from '../paths.js';
import { entryText, podGaps } from './coverage.js';
import { sanitizeTerminal } from './sanitize.js';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
const REPOSITORY = 'https://github.com/pulldoctor/pulldoctor';
export const runbookUri = (id: string) => `${REPOSITORY}/blob/main/rules/${id}.md`;

const LEVEL: Record<Severity, Sarif.ReportingDescriptor['defaultConfiguration'] & {}> = {
  error: { level: 'error' },
  warning: { level: 'warning' },
  info: { level: 'note' },
};

export interface SarifOptions {
  /** What relative URIs are relative to (default: the working directory). */
  cwd?: string;
  /** A rule's runbook as Markdown (default: rules/<id>.md of the package). */
  runbook?: (id: string) => string;
}

/** A file as a SARIF artifact location: relative to `cwd` (`%SRCROOT%`) when it is inside it. */
export function artifactLocation(file: string, cwd: string): Sarif.ArtifactLocation {
  if (file === 'stdin') return { uri: 'stdin' };
  const abs = path.resolve(cwd, file);
  const rel = path.relative(cwd, abs);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return { uri: pathToFileURL(abs).href };
  return { uri: rel.split(path.sep).map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' };
}

const clean = (s: string) => sanitizeTerminal(s);

function resultOf(f: Finding, ruleIndex: number, cwd: string): Sarif.Result {
  const lines = [f.message];
  if (f.unverified.length) lines.push('', ...f.unverified.map((u) => `Not verified: ${u}`));
  if (f.remediation.length) lines.push('', 'Fix:', ...f.remediation);
  lines.push('', `Runbook: pulldoctor explain ${f.rule}`);
  const result: Sarif.Result = {
    ruleId: f.rule,
    ruleIndex,
    level: LEVEL[f.severity].level,
    message: { text: clean(lines.join('\n')) },
    partialFingerprints: { 'pulldoctorFinding/v1': f.id },
    properties: {
      confidence: f.confidence,
      namespace: clean(f.namespace),
      workload: clean(`${f.workload.kind}/${f.workload.name}`),
      ...(f.container !== undefined ? { container: clean(f.container) } : {}),
      ...(f.image !== undefined ? { image: clean(f.image) } : {}),
      ...(f.secret !== undefined ? { secret: clean(f.secret) } : {}),
      remediation: f.remediation.map(clean),
    },
  };
  const workload: Sarif.LogicalLocation = {
    fullyQualifiedName: clean(`${f.namespace}/${f.workload.kind}/${f.workload.name}`),
    name: clean(f.workload.name),
    kind: 'resource',
  };
  const loc = f.location;
  result.locations = [
    loc
      ? {
          physicalLocation: {
            artifactLocation: artifactLocation(loc.file, cwd),
            region: { startLine: loc.line, startColumn: loc.column, endLine: loc.endLine, endColumn: loc.endColumn },
          },
          logicalLocations: [workload],
          ...(loc.path ? { message: { text: clean(`${loc.object.kind} ${loc.object.name}: ${loc.path}${loc.template ? ` (rendered from ${loc.template})` : ''}`) } } : {}),
        }
      : { logicalLocations: [workload] },
  ];
  return result;
}

function ruleOf(meta: RuleMeta, runbook: (id: string) => string): Sarif.ReportingDescriptor {
  const md = runbook(meta.id);
  return {
    id: meta.id,
    name: meta.id.replace(/(^|-)([a-z0-9])/g, (_m, _d: string, c: string) => c.toUpperCase()),
    shortDescription: { text: meta.title },
    fullDescription: { text: meta.summary },
    help: { text: md, markdown: md },
    helpUri: runbookUri(meta.id),
    defaultConfiguration: LEVEL[meta.severity],
    properties: { tags: ['kubernetes', 'image-pull', meta.category], precision: meta.confidence === 'confirmed' ? 'high' : 'medium' },
  };
}

/** The report as a SARIF 2.1.0 log; `rules` are the rules the run could report (all are listed, in this order). */
export function renderSarif(report: Report, rules: readonly RuleMeta[], opts: SarifOptions = {}): string {
  const cwd = opts.cwd ?? process.cwd();
  const runbook = opts.runbook ?? readRunbook;
  const metas = [...rules];
  // A finding of a rule not in the list still gets a descriptor (and its index).
  for (const f of report.findings) {
    if (!metas.some((m) => m.id === f.rule)) metas.push({ id: f.rule, title: f.title, summary: f.title, severity: f.severity, category: 'image', confidence: f.confidence });
  }
  const index = new Map(metas.map((m, i) => [m.id, i]));
  const log: Sarif.Log = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'pulldoctor',
            semanticVersion: report.tool.version,
            version: report.tool.version,
            informationUri: REPOSITORY,
            rules: metas.map((m) => ruleOf(m, runbook)),
          },
        },
        invocations: [
          {
            executionSuccessful: report.errors.length === 0,
            endTimeUtc: report.generatedAt,
            // What the answer does not cover (code scanning shows these as the tool's status).
            ...(report.summary.skipped.length
              ? {
                  toolExecutionNotifications: report.summary.skipped.map(
                    (e): Sarif.Notification => ({ level: podGaps(report).includes(e) ? 'error' : 'warning', message: { text: clean(entryText(report, e)) } }),
                  ),
                }
              : {}),
          },
        ],
        columnKind: 'utf16CodeUnits',
        results: report.findings.map((f) => resultOf(f, index.get(f.rule) ?? 0, cwd)),
        properties: { source: clean(report.source.description), summary: report.summary },
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}
