/**
 * The V8 flags a hub node runs with: `npm start`, `deploy/omniline.service` and the benchmarks' hub
 * pass them on the node command line (V8 sizes its heap once, at start), and
 * `tests/cluster/deploy-files.test.ts` checks the first two against this list.
 *
 * Young-generation semi-spaces of 64 MiB instead of V8's 16: with 10,000 sockets and hundreds of
 * messages a second, a 16 MiB nursery is collected every ~150 ms, and what a message still holds then
 * is promoted and left to the full collections, whose concurrent marking takes both cores of a small
 * machine for ~300 ms. Measured in docs/performance.md (sixth round); it costs up to 144 MiB of memory.
 */
export const HUB_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=64'];
