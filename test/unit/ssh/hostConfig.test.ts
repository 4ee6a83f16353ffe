import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chooseDestination, hostConfigFromComputed, parseDestination } from '../../../src/core/ssh/hostConfig';
import { SshConfigFile } from '../../../src/adapters/ssh/sshConfigFile';

const ENV = { home: '/home/me', localUser: 'me', authSock: '/run/agent.sock' };

test('parseDestination: host, user@host, :port, [v6]:port, ssh://; unsafe text refused', () => {
  assert.deepEqual(parseDestination('cp1'), { host: 'cp1' });
  assert.deepEqual(parseDestination('root@10.0.0.1:2222'), { host: '10.0.0.1', user: 'root', port: 2222 });
  assert.deepEqual(parseDestination('ssh://ubuntu@node.example/'), { host: 'node.example', user: 'ubuntu' });
  assert.deepEqual(parseDestination('[fd00::1]:22'), { host: 'fd00::1', port: 22 });
  assert.throws(() => parseDestination('a;rm -rf /'));
  assert.throws(() => parseDestination('host:99999'));
  assert.throws(() => parseDestination('@host'));
});

test('chooseDestination: mapping > ssh_config Host > InternalIP > node name', () => {
  const none = () => false;
  assert.deepEqual(chooseDestination('cp-1', { mapping: { 'cp-1': 'admin@bastion-cp1' }, internalIP: '10.0.0.5' }, () => true), {
    destination: { host: 'bastion-cp1', user: 'admin' },
    source: 'mapping',
  });
  assert.equal(chooseDestination('cp-1', { internalIP: '10.0.0.5' }, (n) => n === 'cp-1').source, 'ssh_config');
  assert.deepEqual(chooseDestination('cp-1', { internalIP: '10.0.0.5' }, none), { destination: { host: '10.0.0.5' }, source: 'internalIP' });
  assert.equal(chooseDestination('cp-1', { internalIP: '10.0.0.5', prefer: 'nodeName' }, none).source, 'nodeName');
  assert.equal(chooseDestination('cp-1', {}, none).source, 'nodeName');
});

test('hostConfigFromComputed: OpenSSH defaults', () => {
  const c = hostConfigFromComputed({ host: '10.0.0.5' }, {}, ENV);
  assert.equal(c.hostName, '10.0.0.5');
  assert.equal(c.port, 22);
  assert.equal(c.user, 'me');
  assert.deepEqual(c.userKnownHostsFiles, ['/home/me/.ssh/known_hosts', '/home/me/.ssh/known_hosts2']);
  assert.ok(c.identityFiles.includes('/home/me/.ssh/id_ed25519'));
  assert.equal(c.identityFilesExplicit, false);
  assert.equal(c.identityAgent, '/run/agent.sock');
  assert.equal(c.strictHostKeyChecking, 'ask');
  assert.equal(c.hashKnownHosts, false);
});

test('hostConfigFromComputed: values, ~ and % tokens, none, destination overrides', () => {
  const c = hostConfigFromComputed(
    { host: 'cp1', user: 'admin', port: 2200 },
    {
      hostname: '%h.example.com',
      user: 'ignored',
      port: '22',
      identityfile: ['~/.ssh/id_%h_%r', '/keys/x'],
      userknownhostsfile: ['~/.ssh/kh_%n'],
      identityagent: 'none',
      proxyjump: 'none',
      hashknownhosts: 'yes',
      stricthostkeychecking: 'yes',
      connecttimeout: '7',
      serveraliveinterval: '30',
    },
    ENV,
  );
  assert.equal(c.hostName, 'cp1.example.com');
  assert.deepEqual([c.user, c.port], ['admin', 2200]);
  assert.deepEqual(c.identityFiles, ['/home/me/.ssh/id_cp1.example.com_admin', '/keys/x']);
  assert.deepEqual(c.userKnownHostsFiles, ['/home/me/.ssh/kh_cp1']);
  assert.equal(c.identityAgent, undefined);
  assert.equal(c.proxyJump, undefined);
  assert.equal(c.hashKnownHosts, true);
  assert.equal(c.strictHostKeyChecking, 'yes');
  assert.equal(c.connectTimeoutMs, 7000);
  assert.equal(c.keepaliveIntervalMs, 30000);
});

test('SshConfigFile: Host/HostName/User/Port/IdentityFile/ProxyJump; Match exec is never run; Include inlined', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kup-sshcfg-'));
  const canary = path.join(dir, 'match-exec-ran');
  try {
    fs.mkdirSync(path.join(dir, '.ssh'));
    fs.writeFileSync(path.join(dir, '.ssh', 'extra.conf'), 'Host included\n  HostName 192.0.2.9\n');
    const file = path.join(dir, '.ssh', 'config');
    fs.writeFileSync(
      file,
      [
        'Include extra.conf',
        'Host cp-1 cp-2',
        '  HostName 10.0.0.%h', // odd but legal: %h is the alias
        '  User ubuntu',
        '  Port 2222',
        '  IdentityFile ~/.ssh/cluster_key',
        '  ProxyJump admin@bastion:2200',
        `Match exec "touch ${canary}"`,
        '  User evil',
        'Host *',
        '  User fallback',
        '',
      ].join('\n'),
    );
    const cfg = SshConfigFile.load(file, { home: dir, localUser: 'me' });
    const c = cfg.resolve({ host: 'cp-1' });
    assert.deepEqual([c.hostName, c.user, c.port, c.proxyJump], ['10.0.0.cp-1', 'ubuntu', 2222, 'admin@bastion:2200']);
    assert.deepEqual(c.identityFiles, [path.join(dir, '.ssh', 'cluster_key')]);
    assert.equal(cfg.resolve({ host: 'other' }).user, 'fallback');
    assert.equal(fs.existsSync(canary), false, 'Match exec was evaluated');
    assert.ok(cfg.namesHost('cp-2'));
    assert.ok(!cfg.namesHost('cp-3'), 'Host * does not name a host');
    assert.equal(cfg.resolve({ host: 'included' }).hostName, '192.0.2.9');
    assert.equal(cfg.configuredUser('cp-1'), 'ubuntu');
    // No file: OpenSSH defaults; an explicit missing file is an error.
    assert.equal(SshConfigFile.load(undefined, { home: path.join(dir, 'nohome'), localUser: 'me' }).resolve({ host: 'x' }).user, 'me');
    assert.throws(() => SshConfigFile.load(path.join(dir, 'missing'), { home: dir, localUser: 'me' }), /does not exist/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
