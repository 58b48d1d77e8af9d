import WebSocket from 'ws';

const TLS_CODES = /CERT|SSL|TLS|EPROTO|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_SSL/i;

/**
 * Opens a WebSocket to the PBX asking for the `sip` subprotocol, as the softphones will, and says
 * exactly what went wrong: refused, unknown host, TLS, no answer in time, an HTTP answer instead of an
 * upgrade, or a server that does not speak SIP over WebSocket.
 */
export function checkSipWebSocket(wsUrl: string, timeoutMs = 5000): Promise<{ ok: true; details: string } | { ok: false; reason: string }> {
  return new Promise((resolve) => {
    let done = false;
    const ws = new WebSocket(wsUrl, 'sip', { handshakeTimeout: timeoutMs });
    const finish = (r: { ok: true; details: string } | { ok: false; reason: string }) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      ws.removeAllListeners();
      ws.on('error', () => undefined);
      ws.terminate();
      resolve(r);
    };
    const timer = setTimeout(() => finish({ ok: false, reason: `No answer from ${wsUrl} within ${timeoutMs / 1000} s (timeout): check the address, port and firewall` }), timeoutMs + 500);
    ws.on('open', () => {
      if (ws.protocol === 'sip') finish({ ok: true, details: `The PBX at ${wsUrl} accepts SIP over WebSocket` });
      else finish({ ok: false, reason: `${wsUrl} opened a WebSocket but did not accept the "sip" subprotocol: it is not a SIP WebSocket endpoint` });
    });
    ws.on('unexpected-response', (_req, res) => {
      finish({ ok: false, reason: `${wsUrl} answered HTTP ${res.statusCode} instead of opening a WebSocket: check the path (often /ws)` });
    });
    ws.on('error', (err: Error & { code?: string }) => finish({ ok: false, reason: describe(wsUrl, err) }));
  });
}

function describe(wsUrl: string, err: Error & { code?: string }): string {
  const { host } = new URL(wsUrl);
  if (err.code === 'ECONNREFUSED') return `Connection refused by ${host}: nothing listens there (check the port and that WebSocket transport is enabled on the PBX)`;
  if (err.code === 'ENOTFOUND' || err.code === 'EAI_AGAIN') return `The host ${host} cannot be found (DNS): check the address`;
  if (err.code === 'ETIMEDOUT' || /handshake has timed out/i.test(err.message)) return `No answer from ${wsUrl} in time (timeout): check the address, port and firewall`;
  if (/subprotocol/i.test(err.message)) return `${wsUrl} did not accept the "sip" subprotocol: it is not a SIP WebSocket endpoint`;
  if (TLS_CODES.test(err.code ?? '') || /certificate|ssl|tls|wrong version number/i.test(err.message)) {
    return `TLS failed with ${host}: ${err.message} (a certificate the browser does not trust, or wss:// to a port without TLS)`;
  }
  return `Cannot open a WebSocket to ${wsUrl}: ${err.message}`;
}
