import { etcdctlCommand, ENDPOINT_HEALTH, ENDPOINT_STATUS } from '../etcd/commands';
import { parseEndpointHealth, parseEndpointStatus } from '../etcd/parse';

/**
 * The stacked etcd's part of the control-plane health gate: before the next control plane starts, EVERY member must
 * be healthy and all must report one cluster id. A control plane's upgrade restarts its etcd member; with another
 * member already down, that restart costs quorum (3 members: 2 down = no writes, the API stops). The gate's other
 * checks look at the upgraded node only (its static pods, the load balancer's /readyz), so a member stopped on the
 * NEXT control plane would pass them: this asks etcd itself, from the node just upgraded.
 */
export const MEMBER_LIST = etcdctlCommand(['member', 'list', '-w', 'json']);
export const ETCD_GATE_COMMANDS = { status: ENDPOINT_STATUS, health: ENDPOINT_HEALTH, members: MEMBER_LIST } as const;

export interface EtcdAnswer {
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

interface Member {
  readonly id: string;
  readonly name: string;
  readonly clientUrls: readonly string[];
}

/** `etcdctl member list -w json`; ids are uint64 (read as strings). */
export function parseMemberList(text: string): Member[] {
  const start = text.indexOf('{');
  if (start < 0) throw new Error(`not etcdctl JSON: ${text.trim().slice(0, 200) || '(no output)'}`);
  const v = JSON.parse(text.slice(start, text.lastIndexOf('}') + 1).replace(/([:[,]\s*)(\d{16,})(?=\s*[,}\]])/g, '$1"$2"')) as { members?: Record<string, unknown>[] };
  return (v.members ?? []).map((m) => ({
    id: String(m['ID'] ?? ''),
    name: String(m['name'] ?? ''),
    clientUrls: Array.isArray(m['clientURLs']) ? (m['clientURLs'] as unknown[]).map(String) : [],
  }));
}

const firstLine = (a: EtcdAnswer) => (a.stderr.trim() || a.stdout.trim() || `exit ${a.exitCode}`).split('\n')[0]!.slice(0, 200);

/** What is wrong with the etcd cluster as seen from `node`; empty when every member is healthy in one cluster. */
export function etcdMemberProblems(node: string, answers: { status: EtcdAnswer; health: EtcdAnswer; members: EtcdAnswer }): string[] {
  let members: Member[];
  try {
    if (answers.members.exitCode !== 0) throw new Error(firstLine(answers.members));
    members = parseMemberList(answers.members.stdout);
  } catch (e) {
    return [`etcd on ${node}: member list failed: ${(e as Error).message}`];
  }
  if (members.length === 0) return [`etcd on ${node}: member list is empty`];
  const problems: string[] = [];
  let health: ReturnType<typeof parseEndpointHealth> = [];
  try {
    health = parseEndpointHealth(answers.health.stdout + answers.health.stderr);
  } catch {
    problems.push(`etcd on ${node}: endpoint health gave no answer: ${firstLine(answers.health)}`);
  }
  let status: ReturnType<typeof parseEndpointStatus> = [];
  try {
    status = parseEndpointStatus(answers.status.stdout);
  } catch {
    /* an unreachable member makes `endpoint status --cluster` print nothing for it; health says which */
  }
  for (const m of members) {
    // A member added but never started has no name and no client URL yet.
    if (!m.name || m.clientUrls.length === 0) {
      problems.push(`etcd member ${m.name || m.id} has not started (no name or client URL in the member list)`);
      continue;
    }
    const h = health.find((x) => m.clientUrls.includes(x.endpoint));
    if (health.length > 0 && !h) problems.push(`etcd member ${m.name} (${m.clientUrls.join(', ')}): no health answer`);
    else if (h && !h.health) problems.push(`etcd member ${m.name} (${h.endpoint}) unhealthy: ${h.error ?? 'unhealthy'}`);
  }
  const ids = [...new Set(status.map((s) => s.clusterId))];
  if (ids.length > 1) problems.push(`etcd members report different cluster ids: ${status.map((s) => `${s.endpoint}=${s.clusterId}`).join(', ')}`);
  return problems;
}
