import { ContextResolutionError, kubeconfigFiles, loadContexts, resolveContext, shadowedText, type ContextEntry } from '../adapters/k8s/kubeconfig';
import { UsageError } from './args';
import { setApiServer } from './failure';

/**
 * The context a CLI command talks to: --context, else the current-context of the merged kubeconfig files (kubectl's
 * rules). A missing or unknown context is a usage error (exit 2), never a silent switch to another cluster. A context
 * name that several of the files define (every kubeadm admin.conf names its context kubernetes-admin@kubernetes) is
 * said on stderr, with the way to reach the hidden one: kubectl's merge rule picks the first file silently.
 */
export function contextFor(kubeconfig: string | undefined, contextName: string | undefined, env = process.env, warn: (line: string) => void = (line) => { process.stderr.write(`${line}\n`); }): ContextEntry {
  const files = kubeconfigFiles(kubeconfig ? [kubeconfig] : [], env);
  const loaded = loadContexts(files);
  if (loaded.errors.length > 0) throw new UsageError(loaded.errors.map((e) => `${e.file}: ${e.message}`).join('; '));
  if (loaded.files.length === 0) throw new UsageError(`no kubeconfig: ${files.join(', ')} does not exist`);
  try {
    const ctx = resolveContext(loaded, contextName);
    setApiServer(ctx.config.getCurrentCluster()?.server, ctx.name);
    const shadowed = loaded.shadowed?.find((s) => s.name === ctx.name);
    if (shadowed) warn(`warning: ${shadowedText(shadowed)} To use another: --kubeconfig ${shadowed.definitions.slice(1).map((d) => d.file).join(' or --kubeconfig ')}.`);
    return ctx;
  } catch (e) {
    if (e instanceof ContextResolutionError) throw new UsageError(e.message);
    throw e;
  }
}
