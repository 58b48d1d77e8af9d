/** What bench/scale.ts and its load workers (bench/scale-worker.ts) exchange over IPC. */

/** Ids are below this (the coordinator gives every phase a range of its own). */
export const ID_SPACE = 1 << 21;

export interface FixedRateArgs {
  /** Ids of this phase start here: message i has id base + i. */
  base: number;
  /** CLOCK_MONOTONIC ms when message 0 is due; message i is due at t0 + i × 1000 / rate. */
  t0: number;
  rate: number;
  total: number;
  /** Sender s (0 … senders−1) of the whole run sends messages i with i mod senders = s. */
  senders: number;
  workers: number;
  worker: number;
}

export interface ClosedLoopArgs {
  /** This worker's ids start here. */
  base: number;
  /** Ids available from `base` on: the phase ends early when they run out. */
  max: number;
  /** Messages in flight from this worker at most; each waits for its ack and for every operator socket of this worker. */
  window: number;
  seconds: number;
  /** Visitor sockets of this worker that send, round robin. */
  senders: number;
}

/** Per id of [from, to): what this worker saw. NaN where it saw nothing. */
export interface Report {
  sentAt: Float64Array;
  dueAt: Float64Array;
  ackAt: Float64Array;
  ackError: Array<string | null>;
  firstSeen: Float64Array;
  lastSeen: Float64Array;
  seenBy: Uint16Array;
}
