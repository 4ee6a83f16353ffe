import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { ClusterState } from '../../../src/core/clusterStore';
import { CommandFailure, NO_TARGET, runCommand, type CommandSpec } from '../../../src/ui/commands/command';
import { commandContext } from '../../../src/ui/commands/commandContext';
import type { CommandUi, PickItem } from '../../../src/ui/commands/commandUi';
import type { ClusterList, NodeRef } from '../../../src/ui/commands/nodePickers';
import { cluster as snapshotOf, cp, worker } from '../helpers/snapshot';

/** What the wrapper showed, as `error: …` / `warning: …` / `pick: title [labels]`; `choose` answers the picks. */
function recorder(choose: (labels: string[]) => number | undefined = () => undefined) {
  const shown: string[] = [];
  const ui: CommandUi = {
    error: (m) => void shown.push(`error: ${m}`),
    warning: (m) => void shown.push(`warning: ${m}`),
    info: (m) => void shown.push(`info: ${m}`),
    pick: <T>(items: readonly PickItem<T>[], o: { title: string }) => {
      const labels = items.map((i) => i.label);
      shown.push(`pick: ${o.title} [${labels.join(', ')}]`);
      const i = choose(labels);
      return Promise.resolve(i === undefined ? undefined : items[i]!.value);
    },
  };
  return { shown, ui };
}

function state(contextName: string, nodes = [cp('cp-1', {}), cp('cp-2', {}), worker('worker-1', {})]): ClusterState {
  return { contextName, server: `https://${contextName}:6443`, key: `https://${contextName}:6443#`, status: 'ready', findings: [], warnings: [], snapshot: snapshotOf(nodes, 'v1.31.1') } as ClusterState;
}

function clusters(...states: ClusterState[]): ClusterList {
  return { list: () => states, get: (name) => states.find((s) => s.contextName === name) };
}

const prod = state('prod');
const staging = state('staging', [cp('cp-a', {})]);

/** A node command as upgradeNode declares it: resolve the node, fail naming it. */
function nodeCommand(run: (ref: NodeRef) => Promise<void>): CommandSpec<NodeRef> {
  return { id: 'kubeadm.upgradeNode', resolve: (c) => c.node(), failure: ({ node }) => `cannot upgrade ${node.name}`, run };
}

describe('the command wrapper', () => {
  it('reports an error of the command once, naming what it acted on', async () => {
    const { shown, ui } = recorder();
    await runCommand(nodeCommand(() => Promise.reject(new Error('sudo: a password is required'))), commandContext({ context: 'prod', node: 'worker-1' }, clusters(prod), ui));
    assert.deepEqual(shown, ['error: Kubeadm: cannot upgrade worker-1: sudo: a password is required']);
  });

  it('shows a CommandFailure as it names itself, and a failure before any target with the command id', async () => {
    const { shown, ui } = recorder();
    await runCommand(nodeCommand(() => Promise.reject(new CommandFailure('cannot reach worker-1', new Error('Host key changed')))), commandContext({ context: 'prod', node: 'worker-1' }, clusters(prod), ui));
    await runCommand({ id: 'kubeadm.refresh', resolve: () => Promise.reject(new Error('kubeconfig unreadable')), run: () => Promise.resolve() }, commandContext(undefined, clusters(prod), ui));
    await runCommand({ id: 'kubeadm.copyFindings', resolve: NO_TARGET, run: () => Promise.reject(new Error('clipboard')) }, commandContext(undefined, clusters(prod), ui));
    assert.deepEqual(shown, [
      'error: Kubeadm: cannot reach worker-1: Host key changed',
      'error: Kubeadm: kubeadm.refresh failed: kubeconfig unreadable',
      'error: Kubeadm: kubeadm.copyFindings failed: clipboard',
    ]);
  });

  it('does not run the command when the target is not resolved', async () => {
    const { shown, ui } = recorder();
    let ran = false;
    await runCommand(nodeCommand(() => Promise.resolve(void (ran = true))), commandContext(undefined, clusters(prod), ui));
    assert.equal(ran, false);
    assert.deepEqual(shown, ['pick: Choose a node [cp-1, cp-2, worker-1]']);
  });
});

describe('which node or cluster a command acts on', () => {
  const node = async (arg: unknown, list = clusters(prod, staging), choose?: (labels: string[]) => number | undefined) => {
    const { shown, ui } = recorder(choose);
    const ref = await commandContext(arg, list, ui).node();
    return { picked: ref && `${ref.cluster.contextName}/${ref.node.name}`, shown };
  };

  it('a node item of the tree: that node, in the cluster as the store has it now', async () => {
    const item = { kind: 'node', cluster: { ...prod, status: 'loading' }, node: cp('cp-2', {}), findings: [] };
    const { ui } = recorder();
    const ref = await commandContext(item, clusters(prod), ui).node();
    assert.equal(ref?.cluster, prod);
    assert.equal(ref?.node.name, 'cp-2');
  });

  it('{context, node} from a webview or a notification; an unknown node is said, never guessed', async () => {
    assert.deepEqual(await node({ context: 'staging', node: 'cp-a' }), { picked: 'staging/cp-a', shown: [] });
    assert.deepEqual(await node({ context: 'prod', node: 'cp-9' }), { picked: undefined, shown: ['error: Kubeadm: node cp-9 not found in prod.'] });
  });

  it('the palette: a pick among every loaded node, or a warning when there is none', async () => {
    assert.deepEqual(await node(undefined, clusters(prod, staging), (l) => l.indexOf('cp-a')), { picked: 'staging/cp-a', shown: ['pick: Choose a node [cp-1, cp-2, worker-1, cp-a]'] });
    assert.deepEqual(await node(undefined, clusters()), { picked: undefined, shown: ['warning: Kubeadm: no node to choose from (no cluster loaded).'] });
  });

  it('a cluster: the named one (or an error), the only one, or a pick; then its control plane the same way', async () => {
    const { shown, ui } = recorder((l) => l.indexOf('cp-2'));
    assert.equal(await commandContext({ kind: 'cluster', cluster: prod }, clusters(prod, staging), ui).cluster('t'), prod);
    assert.equal(await commandContext({ context: 'dev' }, clusters(prod), ui).cluster('t'), undefined);
    assert.equal(await commandContext(undefined, clusters(staging), ui).cluster('t'), staging);
    assert.equal(await commandContext(undefined, clusters(), ui).cluster('t'), undefined);
    assert.equal((await commandContext({ context: 'prod', node: 'worker-1' }, clusters(prod), ui).controlPlane(prod, 't'))?.name, undefined);
    assert.equal((await commandContext({ context: 'prod' }, clusters(prod), ui).controlPlane(prod, 'Plan on which?'))?.name, 'cp-2');
    assert.deepEqual(shown, [
      'error: Kubeadm: no cluster "dev" in the kubeconfig.',
      'warning: Kubeadm: no cluster in the kubeconfig.',
      'error: Kubeadm: worker-1 is not a control-plane node of prod.',
      'pick: Plan on which? [cp-1, cp-2]',
    ]);
  });

  it('reads the preset version of `{context, node, target}`', () => {
    const { ui } = recorder();
    assert.equal(commandContext({ context: 'prod', node: 'cp-1', target: 'v1.32' }, clusters(prod), ui).target.version, 'v1.32');
  });
});
