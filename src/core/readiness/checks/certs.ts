import { raw } from '../../exec/shell';
import { commandEvidence, failureText } from '../context';
import { daysLeft, parseCheckExpiration } from '../parse/certs';
import { result, type CheckResult } from '../types';
import type { Check } from './check';
import { nodeAccess, perNode } from './nodeAccess';

export const CHECK_EXPIRATION = raw('kubeadm certs check-expiration');
export const EXPIRY_WARNING_DAYS = 30;

/** `certificate-expiry`: `kubeadm certs check-expiration` on each control plane, parsed. */
export const certificateExpiry: Check = {
  id: 'certificate-expiry',
  async run(ctx) {
    const cps = (await ctx.snapshot()).nodes.filter((n) => n.controlPlane);
    return perNode(ctx, 'certificate-expiry', cps, async (n) => {
      await nodeAccess(ctx, n);
      const r = await ctx.run(n, CHECK_EXPIRATION, true);
      const rows = parseCheckExpiration(r.stdout);
      const evidence = commandEvidence(String(CHECK_EXPIRATION), r, 40);
      if (rows.length === 0) throw new Error(`kubeadm certs check-expiration printed no certificate table (${failureText(r)})`);
      const out: CheckResult[] = [];
      for (const row of rows) {
        const days = daysLeft(row, ctx.now);
        const what = `${row.authority ? 'CA ' : ''}${row.name}`;
        if (row.missing) {
          // kubeadm ≥ 1.29 writes super-admin.conf only on the node where `kubeadm init` ran.
          const expected = row.name === 'super-admin.conf';
          out.push(result('certificate-expiry', expected ? 'info' : 'warning', n.name, `${what} is missing on ${n.name}${expected ? ' (normal except on the node where kubeadm init ran)' : ''}`, [`!MISSING! ${row.name}`], `If it should exist: \`kubeadm certs renew ${row.name}\` or \`kubeadm init phase certs\` / \`kubeconfig\`.`));
        } else if (days !== undefined && days < 0) {
          out.push(result('certificate-expiry', 'blocker', n.name, `${what} on ${n.name} expired on ${row.expires!.toISOString().slice(0, 10)}`, [`${row.name} expires ${row.expires!.toISOString()} residual ${row.residual}`, ...evidence],
            row.authority ? 'An expired CA needs a new PKI (kubeadm docs: "Certificate Management with kubeadm", manual rotation of CA certificates).' : `\`sudo kubeadm certs renew ${row.name}\` on ${n.name}, then restart the static pods (move their manifests out and back).`));
        } else if (days !== undefined && days < EXPIRY_WARNING_DAYS) {
          out.push(result('certificate-expiry', 'warning', n.name, `${what} on ${n.name} expires in ${days} day(s) (${row.expires!.toISOString().slice(0, 10)})`, [`${row.name} expires ${row.expires!.toISOString()} residual ${row.residual}`, ...evidence],
            `\`kubeadm upgrade apply/node\` renews kubeadm's certificates (unless --certificate-renewal=false); otherwise \`sudo kubeadm certs renew ${row.name}\` on ${n.name}.`));
        }
      }
      if (out.length === 0) {
        const soonest = rows.filter((x) => x.expires).sort((a, b) => a.expires!.getTime() - b.expires!.getTime())[0];
        out.push(result('certificate-expiry', 'ok', n.name, `${rows.length} certificates on ${n.name}; the soonest (${soonest?.name}) expires in ${soonest ? daysLeft(soonest, ctx.now) : '?'} days`, evidence));
      }
      return out;
    });
  },
};
