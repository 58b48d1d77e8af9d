/** The part of a Socket.IO adapter (socket.io-adapter 2.x) that turns a packet into what is written to each socket. */
interface EncodingAdapter {
  _encode(packet: { data?: unknown }, opts: Record<string, unknown>): unknown[];
}

/**
 * Makes an adapter encode an `events` batch once, however many emits send it. A flush goes out in
 * slices (one emit each, a turn of the event loop apart), and Socket.IO serializes the packet and
 * builds its WebSocket frame anew for every emit: several times the same work for every flush.
 * socket.io-adapter calls `_encode` once per broadcast, before writing to each socket; the batch's
 * array is the same object in every slice of a flush and is never changed after it is built.
 */
export function encodeBatchesOnce(adapter: object, event: string): void {
  const a = adapter as EncodingAdapter;
  if (typeof a._encode !== 'function') throw new Error('This socket.io-adapter has no _encode: encodeBatchesOnce needs updating');
  const encode = a._encode.bind(a);
  let last: { batch: unknown; encoded: unknown[]; frame: unknown } | null = null;
  a._encode = (packet, opts) => {
    const batch = Array.isArray(packet.data) && packet.data[0] === event ? packet.data[1] : undefined;
    const kept = last;
    if (kept && batch !== undefined && kept.batch === batch) {
      if (kept.frame !== undefined) opts.wsPreEncodedFrame = kept.frame;
      return kept.encoded;
    }
    const encoded = encode(packet, opts);
    last = batch === undefined ? null : { batch, encoded, frame: opts.wsPreEncodedFrame };
    return encoded;
  };
}
