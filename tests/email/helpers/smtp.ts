import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface Received {
  from: string;
  to: string[];
  raw: Buffer;
  mail: ParsedMail;
}

export interface SmtpSink {
  port: number;
  received: Received[];
  /** The next `times` mails are answered with this SMTP reply instead of being kept. */
  answerNext(code: number, text: string, times?: number): void;
  /** How many DATA commands were answered with a scripted failure. */
  refused: number;
  stop(): Promise<void>;
}

/** A local SMTP server (the smtp-server package) that keeps what it receives, or answers as told. */
export async function startSmtpSink(): Promise<SmtpSink> {
  const received: Received[] = [];
  const script: Array<{ code: number; text: string }> = [];
  const sink = { refused: 0 } as { refused: number };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const scripted = script.shift();
        if (scripted) {
          sink.refused++;
          return callback(Object.assign(new Error(scripted.text), { responseCode: scripted.code }));
        }
        const raw = Buffer.concat(chunks);
        simpleParser(raw).then((mail) => {
          received.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address), raw, mail });
          callback();
        }, callback);
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.server.address() as { port: number }).port;
  return {
    port, received,
    answerNext(code, text, times = 1) {
      for (let i = 0; i < times; i++) script.push({ code, text });
    },
    get refused() {
      return sink.refused;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
