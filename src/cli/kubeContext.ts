import { currentContextOf, kubeconfigFiles, loadContexts, type ContextEntry } from '../adapters/k8s/kubeconfig';
import { UsageError } from './args';

/** The context a CLI command talks to: --context, else the file's current-context, else its first. */
export function contextFor(kubeconfig: string | undefined, contextName: string | undefined): ContextEntry {
  const files = kubeconfigFiles(kubeconfig ? [kubeconfig] : []);
  const { contexts, errors } = loadContexts(files);
  if (errors.length > 0) throw new UsageError(`${errors[0]!.file}: ${errors[0]!.message}`);
  if (contexts.length === 0) throw new UsageError(`${files.join(', ')}: no such file or no contexts in it`);
  const wanted = contextName ?? currentContextOf(contexts[0]!.file);
  const ctx = contexts.find((c) => c.name === wanted) ?? (contextName ? undefined : contexts[0]);
  if (!ctx) throw new UsageError(`context ${contextName} not found in ${files.join(', ')}`);
  return ctx;
}
