/**
 * Runbooks of serve's own alerts (deploy/prometheus/rules.yaml), served at
 * `/runbooks/<AlertName>` beside the rules' runbooks. The two finding alerts
 * (PullDoctorImagePullFailing, PullDoctorLatentPullProblem) link to the runbook of the rule that
 * fired instead: `/runbooks/<rule>`, rendered from rules/<rule>.md.
 */

const SCAN_INCOMPLETE = `# PullDoctorScanIncomplete

pulldoctor serve could not read everything it was asked to watch — severity **warning**.

## Meaning

\`pulldoctor_scan_complete\` has been 0 for a while. Either the API server is not reachable from
pulldoctor (its last report is kept, but it is getting old), or pulldoctor's ServiceAccount may
not list pods in some namespace in scope, or some pods could not be read. pulldoctor keeps
reporting what it could read; what it could not read is unknown, not healthy.

## Impact

Image pull problems in the unread part of the cluster do not show up in
\`pulldoctor_findings\`, so \`PullDoctorImagePullFailing\` cannot fire for them. The absence of
findings there means "not looked at", not "no problems".

## Diagnosis

\`/readyz\` of the pulldoctor instance names what is missing, with the \`kubectl auth can-i\` line
that reproduces each refusal:

\`\`\`sh
kubectl -n pulldoctor port-forward deploy/pulldoctor 9489:9489 &
curl -s localhost:9489/readyz
kubectl -n pulldoctor logs deploy/pulldoctor --tail=50
kubectl auth can-i list pods -A --as=system:serviceaccount:pulldoctor:pulldoctor
\`\`\`

\`accessProblems\` in \`/report.json\` lists every refused request.

## Mitigation

- Forbidden (403): grant the ClusterRole in \`deploy/\` (get/list/watch on pods, events,
  serviceaccounts; get on secrets), or narrow pulldoctor's scope (\`-n\`) to what it may read.
- API server not reachable: check the network path from the pulldoctor pod to the API server
  (NetworkPolicy, egress proxy) and the API server's health; pulldoctor recovers on its own.
`;

const DOWN = `# PullDoctorDown

Prometheus cannot scrape pulldoctor serve — severity **warning**.

## Meaning

The \`up\` series of the pulldoctor scrape target has been 0: the process is not running, not
listening, or not reachable from Prometheus.

## Impact

No image pull findings reach Prometheus: \`PullDoctorImagePullFailing\` and
\`PullDoctorLatentPullProblem\` cannot fire while this alert does.

## Diagnosis

\`\`\`sh
kubectl -n pulldoctor get pods -l app.kubernetes.io/name=pulldoctor -o wide
kubectl -n pulldoctor describe pod -l app.kubernetes.io/name=pulldoctor
kubectl -n pulldoctor logs deploy/pulldoctor --previous --tail=50
\`\`\`

A pod that exits at start with \`cannot connect\` or \`unauthorized (401)\` cannot reach or
authenticate to the API server; \`cannot listen on\` means the port is taken or not allowed.
The target page of Prometheus (\`/targets\`) shows the scrape error.

## Mitigation

Fix what the logs name and let the Deployment restart the pod. If the pod runs but the scrape
fails, check the Service, the ServiceMonitor (or scrape config) port and any NetworkPolicy
between Prometheus and the pulldoctor namespace; \`--listen :9489\` must listen on the pod's
address, not only on 127.0.0.1.
`;

/** Alert name → runbook Markdown. */
export const ALERT_RUNBOOKS: Readonly<Record<string, string>> = {
  PullDoctorScanIncomplete: SCAN_INCOMPLETE,
  PullDoctorDown: DOWN,
};
