#!/bin/sh
# Unattended cluster upgrade with a readable log: runs `kubeadm-upgrade upgrade-cluster --json --yes` and turns its
# NDJSON events (kind UpgradeClusterEvent, schemas/v1) into one line each, timestamped.
#   TARGET=v1.36.3 ./upgrade-cluster.sh [--kubeconfig F] [--context C] [--ssh-config F] [--max-unavailable 2]
# Exit codes: 0 upgraded and verified; 1 refused (blockers, lock held), failed or not verified: run
# `kubeadm-upgrade resume` after fixing the cause; 2 bad input or the API cannot be reached.
# The raw events are kept in $EVENTS (e.g. as a CI artifact).
set -u
: "${TARGET:?set TARGET to the version to upgrade to, e.g. TARGET=v1.36.3}"
KUBEADM_UPGRADE=${KUBEADM_UPGRADE:-kubeadm-upgrade}
EVENTS=${EVENTS:-upgrade-events.ndjson}

status_file=$(mktemp)
trap 'rm -f "$status_file"' EXIT
# The CLI's exit code survives the pipe through the status file (POSIX sh has no pipefail).
# shellcheck disable=SC2086
{ $KUBEADM_UPGRADE upgrade-cluster --to "$TARGET" --json --yes "$@"; echo $? >"$status_file"; } | tee "$EVENTS" | node -e '
const rl = require("node:readline").createInterface({ input: process.stdin });
const at = () => new Date().toISOString().slice(11, 19);
const say = (s) => console.log(`${at()} ${s}`);
rl.on("line", (line) => {
  let e;
  try { e = JSON.parse(line); } catch { return say(line); }
  if (e.kind === "Error") return say(`ERROR ${e.message}`);
  if (e.kind !== "UpgradeClusterEvent") return say(line);
  switch (e.event) {
    case "plan": return say(`plan for ${e.cluster} ${e.from} -> ${e.target}: ${e.order.map((n) => n.name).join(", ")}` + (e.refused.length ? `; refused: ${e.refused.join("; ")}` : "") + (e.blocking.length ? `; blocked by: ${e.blocking.map((b) => b.id).join(", ")}` : ""));
    case "batch": return say(`batch ${e.batch}: ${e.nodes.join(", ")} (${e.impact})`);
    case "node-start": return say(`==> ${e.node} (${e.role})`);
    case "step": return say(`    ${e.node} ${e.index}/${e.total} ${e.title}`);
    case "message": return say(`    ${e.node ?? ""} ${e.text}`);
    case "node-done": return say(`OK  ${e.node}`);
    case "node-failed": return say(`FAILED ${e.node}: ${e.error}`);
    case "gate": return say(`control-plane health after ${e.node}: ${e.ok ? "ok" : e.problems.join("; ")}`);
    case "snapshot": return say(e.skipped ? "etcd snapshot skipped" : e.external ? `etcd snapshot: ${e.external}` : `etcd snapshot of ${e.node}: ${e.path} (sha256 ${e.sha256})`);
    case "verify": return say(`verification ${e.passed ? "passed" : `FAILED: ${e.failed.join("; ")}`}`);
    case "report": return e.checks.filter((c) => c.status !== "pass").forEach((c) => say(`    ${c.status} ${c.subject}: ${c.message}`));
    case "done": return say(`run ${e.status}${e.error ? `: ${e.error}` : ""}`);
    default: return say(line);
  }
});'
code=$(cat "$status_file")
case $code in
  0) echo "cluster upgraded to $TARGET and verified" ;;
  1) echo "upgrade to $TARGET refused or stopped: see the log above; fix the cause, then: kubeadm-upgrade resume" >&2 ;;
  2) echo "upgrade-cluster could not start (bad input, or the API cannot be reached)" >&2 ;;
  *) echo "upgrade-cluster ended with exit $code" >&2 ;;
esac
exit "$code"
