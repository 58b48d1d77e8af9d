import type { Server } from 'socket.io';
import type { Connector } from '../../connectors/contract.js';
import { AppError } from '../errors/app-error.js';

const EVENT = 'omniline:transcript';

interface TranscriptRequest {
  channelId: number;
  recipient: string;
  o: { contactName: string; title: string };
}
type TranscriptAnswer = { sent: number } | { error: string } | null;

/**
 * Several nodes: a channel with an inbound loop (e-mail) runs on one node, so a transcript asked of
 * another node is sent by the one that runs it, over Socket.IO's server-side emit with acknowledgement
 * (carried by the Redis adapter to every node; only the node running the channel answers with a count).
 */
export function transcriptRelay(io: Server, local: (channelId: number) => Connector | undefined) {
  io.on(EVENT, (req: TranscriptRequest, ack: (a: TranscriptAnswer) => void) => {
    const connector = local(req.channelId);
    if (!connector?.sendTranscript) return ack(null);
    connector.sendTranscript(req.recipient, req.o).then((sent) => ack({ sent }), (err: Error) => ack({ error: err.message ?? 'failed' }));
  });
  return async (req: TranscriptRequest): Promise<number> => {
    const answers = (await io.serverSideEmitWithAck(EVENT, req).catch(() => [])) as TranscriptAnswer[];
    const done = answers.find((a): a is { sent: number } => a !== null && 'sent' in a);
    if (done) return done.sent;
    const failed = answers.find((a): a is { error: string } => a !== null && 'error' in a);
    if (failed) throw new AppError('unavailable', `The channel could not send the transcript: ${failed.error}`);
    throw new AppError('unavailable', 'The channel is moving between nodes; try again in a few seconds');
  };
}
