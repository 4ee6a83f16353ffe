import * as fs from 'node:fs';
import { ApiClusterSource } from '../adapters/k8s/apiClusterSource';
import { buildSnapshot, withKubeadmVersions } from '../core/snapshot/build';
import { collectDump, DumpError } from '../core/snapshot/dump';
import type { RawClusterObjects } from '../core/snapshot/raw';
import { apiserverRange, evaluateSkew, type Finding } from '../core/skew';
import { formatVersion, parseVersion } from '../core/version';
import { parse, UsageError } from './args';
import { contextFor } from './kubeContext';
import { printJson } from './jsonOutput';
import { SKEW_USAGE } from './usage';

export { SKEW_USAGE };

/** `kubeadm-upgrade skew`: exit 0 without error findings, 1 with any, 2 on bad input. */
export async function skewCommand(argv: string[], out: (s: string) => void): Promise<number> {
  const { values } = parse(argv, {
    kubeconfig: { type: 'string' },
    context: { type: 'string' },
    'from-file': { type: 'string', multiple: true },
    target: { type: 'string' },
    'kubectl-version': { type: 'string' },
    'kubeadm-version': { type: 'string', multiple: true },
    json: { type: 'boolean', default: false },
  });
  const files = values['from-file'] ?? [];
  if (files.length === 0 && !values.kubeconfig) throw new UsageError(`give --kubeconfig or --from-file\nusage: ${SKEW_USAGE}`);
  if (files.length > 0 && values.kubeconfig) throw new UsageError('give either --kubeconfig or --from-file, not both');
  if (values.target !== undefined && !parseVersion(values.target)) throw new UsageError(`--target ${values.target}: not a Kubernetes version (e.g. v1.32.3)`);

  let objects: RawClusterObjects;
  let kubectlVersion = values['kubectl-version'];
  if (files.length > 0) {
    const dump = readDump(files);
    objects = dump.objects;
    kubectlVersion ??= dump.kubectlVersion;
  } else {
    objects = await readCluster(values.kubeconfig!, values.context);
  }
  const snapshot = withKubeadmVersions(buildSnapshot(objects), kubeadmVersions(values['kubeadm-version'] ?? []));
  const findings = evaluateSkew(snapshot, { target: values.target, kubectlVersion });
  const apiserverVersions = apiserverRange(snapshot)?.versions.map(formatVersion) ?? [];
  if (values.json) out(printJson('SkewReport', { apiserverVersions, findings }));
  else out(renderText(apiserverVersions, findings, snapshot.nodes.length));
  return findings.some((f) => f.severity === 'error') ? 1 : 0;
}

/** `NODE=vX.Y.Z` pairs, e.g. collected by a CI job with `ssh NODE kubeadm version -o short`. */
function kubeadmVersions(pairs: string[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const pair of pairs) {
    const [node, version] = pair.split('=');
    if (!node || !version || !parseVersion(version)) throw new UsageError(`--kubeadm-version ${pair}: expected NODE=vX.Y.Z`);
    map.set(node, version);
  }
  return map;
}

function readDump(files: string[]) {
  const documents = files.map((file) => {
    let text: string;
    try {
      text = fs.readFileSync(file === '-' ? 0 : file, 'utf8');
    } catch (e) {
      throw new UsageError(`${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
    }
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new UsageError(`${file}: not JSON (use kubectl get ... -o json)`);
    }
  });
  try {
    return collectDump(documents);
  } catch (e) {
    if (e instanceof DumpError) throw new UsageError(`${files.join(', ')}: ${e.message}`);
    throw e;
  }
}

async function readCluster(kubeconfig: string, contextName: string | undefined): Promise<RawClusterObjects> {
  const ctx = contextFor(kubeconfig, contextName);
  // A ClusterAccessError goes up as it is: exit 2, "cannot reach the API at …" when unreachable (failure.ts).
  return (await new ApiClusterSource(ctx.name, ctx.config).fetch()).objects;
}

function renderText(apiservers: string[], findings: Finding[], nodeCount: number): string {
  const lines = [`kube-apiserver: ${apiservers.join(', ') || 'unknown'} · ${nodeCount} node(s) · ${findings.length} finding(s)`];
  for (const f of findings) {
    lines.push(`${f.severity.toUpperCase().padEnd(7)} ${(f.node ?? '(cluster)').padEnd(20)} ${f.component} ${f.version ?? ''} [${f.rule}]`, `        ${f.message}`);
  }
  return lines.join('\n');
}
