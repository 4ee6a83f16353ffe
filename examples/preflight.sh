#!/bin/sh
# Scheduled upgrade-readiness check: runs `kubeadm-upgrade preflight --json` and fails when it finds blockers.
#   TARGET=v1.36.3 ./preflight.sh [--kubeconfig F] [--context C] [--ssh-config F]
# Exit codes (those of preflight): 0 no blocker; 1 blockers (each printed with its fix); 2 bad input or the API
# cannot be reached. Needs Node >= 20 and kubeadm-upgrade (npm install -g kubeadm-upgrade-<version>.tgz);
# KUBEADM_UPGRADE names another command (e.g. "npx kubeadm-upgrade"). The report is left in $REPORT for archiving.
set -u
: "${TARGET:?set TARGET to the version to check for, e.g. TARGET=v1.36.3}"
KUBEADM_UPGRADE=${KUBEADM_UPGRADE:-kubeadm-upgrade}
REPORT=${REPORT:-readiness.json}

# $KUBEADM_UPGRADE is split on spaces on purpose ("npx kubeadm-upgrade").
# shellcheck disable=SC2086
$KUBEADM_UPGRADE preflight --to "$TARGET" --json "$@" >"$REPORT"
code=$?

# One line per blocker and warning, from the kubeadm-upgrade/v1 Readiness document (or the Error document).
node - "$REPORT" <<'JS'
const fs = require('node:fs');
let doc;
try { doc = JSON.parse(fs.readFileSync(process.argv[2], 'utf8')); } catch { console.log('no JSON report (see the messages above)'); process.exit(0); }
if (doc.kind === 'Error') { console.log(`preflight could not run: ${doc.message}`); process.exit(0); }
if (doc.apiVersion !== 'kubeadm-upgrade/v1' || doc.kind !== 'Readiness') { console.log(`unexpected document ${doc.apiVersion} ${doc.kind}`); process.exit(0); }
const count = (s) => doc.checks.filter((c) => c.severity === s).length;
console.log(`Upgrade readiness for ${doc.target}: ${count('blocker')} blocker(s), ${count('warning')} warning(s)`);
for (const c of doc.checks.filter((c) => c.severity === 'blocker' || c.severity === 'warning')) {
  console.log(`${c.severity.toUpperCase()} ${c.id}${c.node ? ` (${c.node})` : ''}: ${c.message}`);
  if (c.fix) console.log(`  fix: ${c.fix}`);
}
JS

case $code in
  0) echo "ready for $TARGET" ;;
  1) echo "NOT ready for $TARGET: blockers above" >&2 ;;
  2) echo "preflight could not check (bad input, or the API cannot be reached)" >&2 ;;
  *) echo "preflight ended with exit $code" >&2 ;;
esac
exit "$code"
