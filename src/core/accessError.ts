import type { AccessError } from './snapshot/source';

/** The facts an adapter can pull out of any failure, so the wording lives in one pure place. */
export interface FailureFacts {
  readonly httpStatus?: number;
  /** Node's error code: ECONNREFUSED, ENOTFOUND, CERT_HAS_EXPIRED, ... */
  readonly code?: string;
  readonly message: string;
  /** `message` of a Kubernetes Status body, when the server sent one. */
  readonly serverMessage?: string;
}

const TLS_CODES = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|DEPTH_ZERO|UNABLE_TO_GET_ISSUER/;

/** Turns a failure into the message shown on the tree's error item and on the CLI's stderr. */
export function describeFailure(context: string, server: string | undefined, f: FailureFacts): AccessError {
  const where = server ? `${context} (${server})` : context;
  const detail = f.serverMessage ?? f.message;
  if (f.httpStatus === 401) {
    return { kind: 'unauthorized', message: `Unauthorized (401) at ${where}: the credentials in the kubeconfig were refused or have expired.`, detail };
  }
  if (f.httpStatus === 403) {
    return { kind: 'forbidden', message: `Forbidden (403) at ${where}: RBAC does not allow this user to read nodes or kube-system. ${detail}`, detail };
  }
  const text = `${f.code ?? ''} ${f.message}`;
  // Our own deadlines (no connection, no answer in time) say "TLS handshake" in their words: they are timeouts.
  if (f.code === 'ETIMEDOUT') {
    return { kind: 'timeout', message: `The API server of ${where} did not answer in time: ${f.message}`, detail };
  }
  if (f.code === 'CERT_HAS_EXPIRED' || /certificate has expired/i.test(text)) {
    return { kind: 'tls', message: `TLS certificate expired at ${where}: renew it (kubeadm certs renew) or update the kubeconfig.`, detail };
  }
  if (TLS_CODES.test(f.code ?? '') || /certificate|x509|tls/i.test(f.message)) {
    return { kind: 'tls', message: `TLS failure at ${where}: ${f.message}`, detail };
  }
  if (f.code === 'ECONNREFUSED' || f.code === 'ENOTFOUND' || f.code === 'EHOSTUNREACH' || f.code === 'ECONNRESET' || /ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|fetch failed/.test(text)) {
    return { kind: 'unreachable', message: `Cannot reach the API server of ${where}: ${f.code ?? f.message}.`, detail };
  }
  if (f.code === 'ETIMEDOUT' || /timed? ?out|aborted/i.test(text)) {
    return { kind: 'timeout', message: `The API server of ${where} did not answer in time.`, detail };
  }
  if (f.httpStatus !== undefined) {
    return { kind: 'other', message: `The API server of ${where} answered ${f.httpStatus}: ${detail}`, detail };
  }
  return { kind: 'other', message: `Cannot read ${where}: ${f.message}`, detail };
}
