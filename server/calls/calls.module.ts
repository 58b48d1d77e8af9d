import type { Logger } from 'pino';
import type { Connector } from '../../connectors/contract.js';
import type { ChannelDirectory } from '../channels/channel-directory.js';
import type { ChannelService } from '../channels/channel.service.js';
import type { CallsPort } from '../channels/connector-host.js';
import type { ConnectorRegistry } from '../channels/connector-registry.js';
import type { Database } from '../db/database.js';
import type { EventLog } from '../events/event-log.js';
import type { ApiRouter } from '../http/api-router.js';
import type { IngestService } from '../ingest/ingest.service.js';
import type { LineSettingsCache } from '../lines/line-settings.cache.js';
import type { SecretBox } from '../secrets/secret-box.js';
import { CallLookup } from './call-lookup.js';
import { callRoutes } from './call.routes.js';
import { CallService } from './call.service.js';
import { CallTargetsService } from './call-targets.js';
import { PhoneChannels } from './phone-channels.js';
import { recordingRoutes } from './recording.routes.js';
import { sipAccountRoutes } from './sip-account.routes.js';
import { SipAccountService } from './sip-account.service.js';
import { SipCalls } from './sip-calls.js';

export interface CallsDeps {
  db: Database;
  events: EventLog;
  ingest: IngestService;
  directory: ChannelDirectory;
  channels: ChannelService;
  registry: ConnectorRegistry;
  box: SecretBox;
  lineSettings: LineSettingsCache;
  /** The hub's clock (working hours). */
  clock: () => number;
  /** The running connector of a channel, if any. */
  connector(channelId: number): Connector | undefined;
  logger: Logger;
}

/** The calls domain, built once by the hub: services, the connector host's port, and the routes. */
export function createCalls(d: CallsDeps) {
  const targets = new CallTargetsService(d.db, d.lineSettings, d.clock);
  const service = new CallService(d.db, d.events, d.ingest, d.directory, targets, d.logger);
  const phones = new PhoneChannels(d.channels, d.registry);
  const accounts = new SipAccountService(d.db, d.box, phones);
  const port: CallsPort = {
    ingest: (channelId, message) => service.ingest(channelId, message),
    update: (channelId, externalId, update) => service.update(channelId, externalId, update),
    targets: (lineId) => targets.targets(lineId),
    mayCall: (lineId, userId) => targets.mayCall(lineId, userId),
  };
  return {
    service, targets, accounts, port,
    routes(api: ApiRouter): void {
      const running = (channelId: number) => d.connector(channelId) !== undefined;
      callRoutes(api, {
        db: d.db, lookup: new CallLookup({ db: d.db, phones, targets, accounts, running }), sip: new SipCalls(service, targets, phones, accounts),
        phones, accounts, connector: d.connector, logger: d.logger,
      });
      recordingRoutes(api, { db: d.db, connector: d.connector });
      sipAccountRoutes(api, accounts);
    },
  };
}
