import { parseVersion, type KubeVersion } from '../core/version';
import { UsageError } from './args';

/** `--to` must be a full version (v1.36.3): no coercion of `1.36` or of text around a version. */
export function strictTarget(text: string | undefined): KubeVersion {
  const v = text && /^v?\d+\.\d+\.\d+$/.test(text.trim()) ? parseVersion(text.trim()) : undefined;
  if (!v) throw new UsageError(`--to vX.Y.Z is required, a full version such as v1.36.3 (got ${text ?? 'nothing'})`);
  return v;
}
