import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { accessSync, constants, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/**
 * A real ClickHouse server for transport tests: the installed server binary (Debian's `clickhouse-server`
 * 18.16 in CI, see .ci/run) started as a child of the test, on 127.0.0.1 and free ports, with its config,
 * data and logs in a temporary directory, and one user `logtool` with a random password. No root, no /var.
 *
 * Facts about 18.16 this relies on: the config root element is `<yandex>`; `--config-file=<path>` is the
 * only option needed; `users_config` is resolved next to the config file; the server writes
 * `preprocessed_configs/`, `metadata/`, `data/`… under `<path>`; `GET /ping` answers `Ok.\n` (≈0.2 s after
 * the spawn here); SIGTERM shuts it down in ≈2.5 s, so stop() kills it (the data is thrown away anyway).
 */
export interface ClickHouseServer {
  /** `http://127.0.0.1:<port>` (no trailing slash, no credentials). */
  url: string;
  user: string;
  password: string;
  /** A second user with the same password whose profile is `readonly=1` (SELECT only). */
  readonlyUser: string;
  stop(): Promise<void>;
}

const USER = 'logtool';
const READONLY_USER = 'logtool_ro';
const PING_WITHIN_MS = 20_000;

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Where the server binary may be: Debian puts it in /usr/sbin (not on a non-root PATH). */
function findServer(): { bin: string; args: string[] } | undefined {
  const candidates: Array<{ bin: string; args: string[] }> = [];
  const fromEnv = process.env.LOGTOOL_CLICKHOUSE_SERVER;
  if (fromEnv) candidates.push({ bin: fromEnv, args: fromEnv.endsWith('/clickhouse') ? ['server'] : [] });
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter).filter(Boolean), '/usr/sbin', '/usr/bin', '/usr/local/sbin', '/usr/local/bin'];
  for (const dir of dirs) candidates.push({ bin: path.join(dir, 'clickhouse-server'), args: [] });
  // Newer releases ship one multi-call binary: `clickhouse server`.
  for (const dir of dirs) candidates.push({ bin: path.join(dir, 'clickhouse'), args: ['server'] });
  return candidates.find((c) => executable(c.bin));
}

const SETPRIV = ['/usr/bin/setpriv', '/bin/setpriv'].find(executable);

/** `count` distinct free TCP ports on 127.0.0.1, found by binding to port 0 (all held at once, then released). */
async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<net.Server>((resolve, reject) => {
          const s = net.createServer();
          s.once('error', reject);
          s.listen(0, '127.0.0.1', () => resolve(s));
        }),
    ),
  );
  const ports = servers.map((s) => (s.address() as net.AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  return ports;
}

/** One free TCP port on 127.0.0.1 (nothing listens on it afterwards). */
export async function freePort(): Promise<number> {
  return (await freePorts(1))[0];
}

const xml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function configXml(dataDir: string, logDir: string, ports: { http: number; tcp: number; interserver: number }): string {
  const d = (p: string) => xml(path.join(dataDir, p) + '/');
  return `<?xml version="1.0"?>
<yandex>
  <logger>
    <level>information</level>
    <log>${xml(path.join(logDir, 'server.log'))}</log>
    <errorlog>${xml(path.join(logDir, 'server.err.log'))}</errorlog>
    <size>10M</size>
    <count>1</count>
  </logger>
  <listen_host>127.0.0.1</listen_host>
  <http_port>${ports.http}</http_port>
  <tcp_port>${ports.tcp}</tcp_port>
  <interserver_http_port>${ports.interserver}</interserver_http_port>
  <interserver_http_host>127.0.0.1</interserver_http_host>
  <path>${xml(dataDir + '/')}</path>
  <tmp_path>${d('tmp')}</tmp_path>
  <user_files_path>${d('user_files')}</user_files_path>
  <format_schema_path>${d('format_schemas')}</format_schema_path>
  <users_config>users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <timezone>UTC</timezone>
  <max_concurrent_queries>20</max_concurrent_queries>
  <mark_cache_size>67108864</mark_cache_size>
  <uncompressed_cache_size>67108864</uncompressed_cache_size>
  <mlock_executable>false</mlock_executable>
</yandex>
`;
}

function usersXml(password: string): string {
  return `<?xml version="1.0"?>
<yandex>
  <profiles>
    <default>
      <max_memory_usage>1000000000</max_memory_usage>
    </default>
    <readonly>
      <max_memory_usage>1000000000</max_memory_usage>
      <readonly>1</readonly>
    </readonly>
  </profiles>
  <users>
    <${USER}>
      <password>${xml(password)}</password>
      <networks>
        <ip>127.0.0.1</ip>
        <ip>::1</ip>
      </networks>
      <profile>default</profile>
      <quota>default</quota>
    </${USER}>
    <${READONLY_USER}>
      <password>${xml(password)}</password>
      <networks>
        <ip>127.0.0.1</ip>
        <ip>::1</ip>
      </networks>
      <profile>readonly</profile>
      <quota>default</quota>
    </${READONLY_USER}>
  </users>
  <quotas>
    <default>
      <interval>
        <duration>3600</duration>
        <queries>0</queries>
        <errors>0</errors>
        <result_rows>0</result_rows>
        <read_rows>0</read_rows>
        <execution_time>0</execution_time>
      </interval>
    </default>
  </quotas>
</yandex>
`;
}

/** The last non-empty line of a file, or of a string: why the server did not come up. */
function lastLine(text: string): string {
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  return (lines.at(-1) ?? '').slice(0, 300);
}

function readTail(file: string): string {
  try {
    return lastLine(readFileSync(file, 'utf8'));
  } catch {
    return '';
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function ping(url: string): Promise<boolean> {
  try {
    const res = await fetch(`${url}/ping`, { signal: AbortSignal.timeout(1000) });
    return res.ok && (await res.text()).trim() === 'Ok.';
  } catch {
    return false;
  }
}

type Attempt = { ok: ClickHouseServer } | { fail: string; retry: boolean };

async function attempt(server: { bin: string; args: string[] }): Promise<Attempt> {
  const [http, tcp, interserver] = await freePorts(3);
  const root = mkdtempSync(path.join(os.tmpdir(), 'logtool-clickhouse-'));
  const configDir = path.join(root, 'config');
  const dataDir = path.join(root, 'data');
  const logDir = path.join(root, 'log');
  for (const d of [configDir, dataDir, logDir]) mkdirSync(d, { recursive: true });
  const password = randomBytes(12).toString('hex');
  writeFileSync(path.join(configDir, 'config.xml'), configXml(dataDir, logDir, { http, tcp, interserver }));
  writeFileSync(path.join(configDir, 'users.xml'), usersXml(password));

  let output = '';
  let exited: string | undefined;
  let child: ChildProcess;
  const args = [...server.args, `--config-file=${path.join(configDir, 'config.xml')}`];
  // With util-linux's setpriv the kernel kills the server when the test process dies, even by a signal
  // (process 'exit' handlers do not run then).
  const command = SETPRIV ? { bin: SETPRIV, args: ['--pdeathsig', 'KILL', '--', server.bin, ...args] } : { bin: server.bin, args };
  try {
    child = spawn(command.bin, command.args, {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (e) {
    rmSync(root, { recursive: true, force: true });
    return { fail: `${server.bin} could not be started: ${(e as Error).message}`, retry: false };
  }
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const gone = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exited = signal ? `signal ${signal}` : `exit code ${code}`;
      resolve();
    });
    child.once('error', (e) => {
      exited = e.message;
      resolve();
    });
  });
  // Never leave a server behind when the test process ends without calling stop().
  const onExit = () => {
    if (exited === undefined) child.kill('SIGKILL');
    rmSync(root, { recursive: true, force: true });
  };
  process.once('exit', onExit);

  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    process.removeListener('exit', onExit);
    if (exited === undefined) {
      child.kill('SIGKILL');
      await gone;
    }
    rmSync(root, { recursive: true, force: true });
  };

  const url = `http://127.0.0.1:${http}`;
  const until = Date.now() + PING_WITHIN_MS;
  while (Date.now() < until && exited === undefined) {
    if (await ping(url)) return { ok: { url, user: USER, password, readonlyUser: READONLY_USER, stop } };
    await sleep(100);
  }
  const why = readTail(path.join(logDir, 'server.err.log')) || lastLine(output);
  const status = exited ?? `no answer to /ping within ${PING_WITHIN_MS / 1000} s`;
  await stop();
  return { fail: `${server.bin} did not start (${status})${why ? `: ${why}` : ''}`, retry: /address already in use/i.test(why) };
}

/**
 * Starts a private ClickHouse server; `{ skip }` (one line) when there is no server binary or it does
 * not come up. Never throws.
 */
export async function startClickHouse(): Promise<ClickHouseServer | { skip: string }> {
  try {
    const server = findServer();
    if (!server) return { skip: 'no ClickHouse server binary (clickhouse-server or clickhouse) is installed; .ci/run installs it with apt' };
    let last = '';
    // A free port can be taken between finding it and the server binding it: try again with new ports.
    for (let i = 0; i < 3; i++) {
      const a = await attempt(server);
      if ('ok' in a) return a.ok;
      last = a.fail;
      if (!a.retry) break;
    }
    return { skip: last.replace(/\s+/g, ' ') };
  } catch (e) {
    return { skip: `ClickHouse server could not be started: ${String((e as Error)?.message ?? e).replace(/\s+/g, ' ')}` };
  }
}
