import { monitorEventLoopDelay } from 'node:perf_hooks';

/** What a server child reports about itself between two `stats` requests. */
export interface ChildStats {
  /** CPU time used by the child (user + system) over wall time since the previous request, in % of one core. */
  cpuPercent: number;
  /** Event-loop delay of the child since the previous request, in ms. */
  loopDelayP50Ms: number;
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
  rssMb: number;
}

export type ChildRequest = { cmd: 'stats' } | { cmd: 'stop' } | { cmd: 'call'; id: number; command: string; args: unknown };
export type ChildMessage =
  | { ready: Record<string, unknown> }
  | { stats: ChildStats }
  | { stopped: true }
  | { failed: string }
  | { reply: { id: number; result?: unknown; error?: string } };

/** What a child runs: its ready info, how it stops, and optional commands the parent may call by name. */
export interface ChildServer {
  info: Record<string, unknown>;
  stop: () => Promise<void>;
  commands?: Record<string, (args: any) => unknown>;
}

/**
 * Runs one server inside a child process of the benchmark, driven over the Node IPC channel:
 * `ready` once it listens, `stats` on request, a clean stop on `stop` or when the parent goes away
 * (the exit is a normal one, so `--cpu-prof` still writes its profile).
 */
export function serveAsChild(start: () => Promise<ChildServer>): void {
  if (!process.send) throw new Error('run this file through a benchmark (bench/chat-latency.ts, bench/scale.ts, bench/queries.ts): it needs an IPC channel');
  const send = (m: ChildMessage) => new Promise<void>((resolve) => (process.connected ? process.send!(m, () => resolve()) : resolve()));
  // The histogram includes the sampling interval itself; it is subtracted below.
  const resolutionMs = 5;
  const eld = monitorEventLoopDelay({ resolution: resolutionMs });
  eld.enable();
  let cpu = process.cpuUsage();
  let wall = performance.now();
  let stopping: Promise<void> | null = null;
  let stopServer: (() => Promise<void>) | null = null;
  let commands: ChildServer['commands'] = {};

  const shutdown = () => {
    stopping ??= (async () => {
      try {
        await stopServer?.();
      } finally {
        await send({ stopped: true });
        process.exit(0);
      }
    })();
    return stopping;
  };

  process.on('message', (m: ChildRequest) => {
    if (m.cmd === 'stop') void shutdown();
    if (m.cmd === 'stats') {
      const used = process.cpuUsage(cpu);
      const now = performance.now();
      const stats: ChildStats = {
        cpuPercent: ((used.user + used.system) / 1000 / (now - wall)) * 100,
        loopDelayP50Ms: Math.max(0, eld.percentile(50) / 1e6 - resolutionMs),
        loopDelayP99Ms: Math.max(0, eld.percentile(99) / 1e6 - resolutionMs),
        loopDelayMaxMs: Math.max(0, eld.max / 1e6 - resolutionMs),
        rssMb: process.memoryUsage().rss / 2 ** 20,
      };
      cpu = process.cpuUsage();
      wall = now;
      eld.reset();
      void send({ stats });
    }
    if (m.cmd === 'call') {
      const run = commands?.[m.command];
      Promise.resolve()
        .then(() => {
          if (!run) throw new Error(`unknown command ${m.command}`);
          return run(m.args);
        })
        .then(
          (result) => send({ reply: { id: m.id, result } }),
          (err) => send({ reply: { id: m.id, error: String((err as Error)?.stack ?? err) } }),
        );
    }
  });
  process.on('disconnect', () => void shutdown());
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());

  start().then(
    async (server) => {
      stopServer = server.stop;
      commands = server.commands;
      const { info } = server;
      await send({ ready: info });
    },
    async (err) => {
      await send({ failed: String((err as Error)?.stack ?? err) });
      process.exit(1);
    },
  );
}
