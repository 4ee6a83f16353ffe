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
  const s = statusBody(body);
  return s.message ?? (s.text?.trim() ? firstLine(s.text) : undefined);
}

/** The HTTP status and the Kubernetes Status (message, reason, cause types) of whatever client-node threw. */
export interface ApiStatus {
  readonly httpStatus: number | undefined;
  readonly message: string | undefined;
  readonly reason: string | undefined;
  readonly causes: readonly string[];
}

/** For adapters that branch on the Status's reason and causes (the drain's 429/NamespaceTerminating), not only its words. */
export function apiStatus(e: unknown): ApiStatus {
  const { message, reason, causes } = statusBody((e as { body?: unknown } | undefined)?.body);
  return { httpStatus: failureFacts(e).httpStatus, message, reason, causes };
}

interface StatusBody {
  readonly message: string | undefined;
  readonly reason: string | undefined;
  readonly causes: readonly string[];
  /** The body as sent when it is text but not JSON (a proxy's "Bad Gateway"). */
  readonly text?: string;
}

/** An ApiException's body is the Status as JSON text, or already an object; anything else has no Status fields. */
function statusBody(body: unknown): StatusBody {
  let parsed: unknown = body;
  if (typeof body === 'string') {
    try {
      parsed = JSON.parse(body);
    } catch {
      return { message: undefined, reason: undefined, causes: [], text: body };
    }
  }
  const s = (parsed ?? {}) as { message?: unknown; reason?: unknown; details?: { causes?: { type?: unknown }[] } };
  return {
    message: typeof s.message === 'string' ? s.message : undefined,
    reason: typeof s.reason === 'string' ? s.reason : undefined,
    causes: (Array.isArray(s.details?.causes) ? s.details.causes : []).map((c) => c?.type).filter((t): t is string => typeof t === 'string'),
  };
}

function firstLine(s: string): string {
  return s.split('\n')[0]!.slice(0, 500);
}
