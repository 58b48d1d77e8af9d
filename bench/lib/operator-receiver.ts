import WebSocket from 'ws';

/**
 * A lean operator socket for load tests: Socket.IO's wire protocol (Engine.IO 4 over WebSocket) spoken
 * directly, so that 200 operator sockets can take 100,000 pushed events a second on the one spare
 * core of the machine. socket.io-client would `JSON.parse` every envelope (about 1 KB each); this
 * receiver only looks for the `message.created` type and the benchmark's id in the raw frame
 * (`"text":"m<id> …`), the rest of the frame is never decoded.
 *
 * Connecting is what socket.io-client does: the Engine.IO open packet, then a CONNECT to the namespace
 * (with the session cookie in the handshake's headers), answered by CONNECT or CONNECT_ERROR; pings
 * are answered with pongs.
 */
export class OperatorReceiver {
  private constructor(private readonly ws: WebSocket) {}

  static connect(url: string, namespace: string, cookie: string | null, onMessageId: (id: number) => void, onClose?: () => void): Promise<OperatorReceiver> {
    const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`, {
      headers: cookie ? { cookie } : {}, perMessageDeflate: false, skipUTF8Validation: true,
    });
    const connectPacket = `40${namespace},`;
    const prefix = Buffer.from(`42${namespace},`);
    return new Promise((resolve, reject) => {
      let connected = false;
      const fail = (why: string) => {
        if (!connected) reject(new Error(`${namespace} connect failed: ${why}`));
        ws.terminate();
      };
      ws.on('error', (err) => fail(err.message));
      ws.on('close', () => (connected ? onClose?.() : fail('closed')));
      ws.on('message', (data: Buffer) => {
        const b0 = data[0];
        if (b0 === PING) return ws.send('3');
        if (b0 !== MESSAGE) {
          if (b0 === OPEN) ws.send(connectPacket);
          return;
        }
        if (data[1] === EVENT && data.indexOf(prefix) === 0) return messageIdsOf(data, onMessageId);
        if (data[1] === CONNECT && !connected) {
          connected = true;
          resolve(new OperatorReceiver(ws));
        } else if (data[1] === CONNECT_ERROR) fail(data.toString('utf8'));
      });
    });
  }

  close(): void {
    this.ws.close();
  }
}

const OPEN = 0x30; // '0'
const PING = 0x32; // '2'
const MESSAGE = 0x34; // '4'
const CONNECT = 0x30; // '0' (Socket.IO packet type after the Engine.IO MESSAGE)
const CONNECT_ERROR = 0x34; // '4'
const EVENT = 0x32; // '2'
const TYPE = Buffer.from('"type":"message.created"');
const TEXT = Buffer.from('"text":"m');

/**
 * The benchmark ids of the `message.created` envelopes in a frame (`"text":"m<id> …`), in order: the hub
 * sends several events to a frame when they come fast, the bare relay one.
 */
export function messageIdsOf(frame: Buffer, onId: (id: number) => void): void {
  for (let from = frame.indexOf(TYPE); from >= 0; ) {
    const next = frame.indexOf(TYPE, from + TYPE.length);
    const id = idBetween(frame, from, next < 0 ? frame.length : next);
    if (id >= 0) onId(id);
    from = next;
  }
}

function idBetween(frame: Buffer, from: number, to: number): number {
  let at = frame.indexOf(TEXT, from);
  if (at < 0 || at >= to) return -1;
  at += TEXT.length;
  let id = 0;
  let digits = 0;
  for (let c = frame[at]!; c >= 0x30 && c <= 0x39; c = frame[++at]!) {
    id = id * 10 + (c - 0x30);
    digits++;
  }
  return digits && frame[at] === 0x20 ? id : -1;
}
