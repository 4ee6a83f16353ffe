import type { FailureFacts } from '../../core/accessError';

/**
 * Pulls status, error code and the server's Status message out of whatever client-node threw: an ApiException
 * (HTTP status + body), a fetch TypeError whose `cause` holds the socket error, or a plain Error.
 */
export function failureFacts(e: unknown): FailureFacts {
  const err = e as { code?: unknown; statusCode?: unknown; body?: unknown; message?: unknown; cause?: unknown } | undefined;
  // ApiException carries `code`; the Watch's own HTTP errors carry `statusCode`.
  const httpStatus = typeof err?.code === 'number' ? err.code : typeof err?.statusCode === 'number' ? err.statusCode : undefined;
  const code = socketCode(err) ?? socketCode(err?.cause) ?? socketCode((err?.cause as { cause?: unknown } | undefined)?.cause);
  const message = String(err?.message ?? e);
  return { httpStatus, code, message: firstLine(message), serverMessage: statusMessage(err?.body) };
}

function socketCode(x: unknown): string | undefined {
  const c = (x as { code?: unknown } | undefined)?.code;
  return typeof c === 'string' ? c : undefined;
}

function statusMessage(body: unknown): string | undefined {
  if (body === undefined || body === null) return undefined;
  let parsed: unknown = body;
  if (typeof body === 'string') {
    try {
      parsed = JSON.parse(body);
    } catch {
      return body.trim() ? firstLine(body) : undefined;
    }
  }
  const m = (parsed as { message?: unknown }).message;
  return typeof m === 'string' ? m : undefined;
}

function firstLine(s: string): string {
  return s.split('\n')[0]!.slice(0, 500);
}
