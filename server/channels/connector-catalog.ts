import type { Logger } from 'pino';
import type { WebchatGateway } from '../../connectors/webchat/gateway.js';
import { webchatConnector } from '../../connectors/webchat/index.js';
import { telegramConnector } from '../../connectors/telegram/index.js';
import { whatsappCloudConnector } from '../../connectors/whatsapp-cloud/index.js';
import { whatsappConnector } from '../../connectors/whatsapp/index.js';
import { emailConnector } from '../../connectors/email/index.js';
import { twilioConnector } from '../../connectors/twilio/index.js';
import { sipConnector } from '../../connectors/sip/index.js';
import type { ConnectorRegistry } from './connector-registry.js';

export interface CatalogDeps {
  webchat: WebchatGateway;
  /** Where providers reach this hub (webhook URLs). */
  publicUrl: string;
  /** Connectors that keep sessions on disk get a folder below this. */
  dataDir: string;
  logger: Logger;
  whatsapp: { snapshotEveryMs: number; clientModule: string | null };
}

/** Every channel type this hub offers: one line per connector. */
export function registerConnectors(registry: ConnectorRegistry, deps: CatalogDeps): void {
  registry.add(webchatConnector(deps.webchat));
  registry.add(telegramConnector(deps));
  registry.add(whatsappCloudConnector(deps));
  registry.add(whatsappConnector(deps, { clientModule: deps.whatsapp.clientModule ?? undefined, snapshotEveryMs: deps.whatsapp.snapshotEveryMs }));
  registry.add(emailConnector());
  registry.add(twilioConnector(deps));
  registry.add(sipConnector());
}
