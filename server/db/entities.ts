import { AttachmentEntity } from '../attachments/attachment.entity.js';
import { SessionEntity } from '../auth/session.entity.js';
import { ChannelEntity } from '../channels/channel.entity.js';
import { ContactEntity, ContactIdentityEntity } from '../contacts/contact.entity.js';
import { ConversationEntity } from '../conversations/conversation.entity.js';
import { MessageEntity } from '../conversations/message.entity.js';
import { LeadEntity } from '../crm/lead.entity.js';
import { EventEntity } from '../events/event.entity.js';
import { LineEntity, LineMemberEntity } from '../lines/line.entity.js';
import { OutboxEntity } from '../outbox/outbox.entity.js';
import { UserEntity } from '../users/user.entity.js';
import { InitialSchema1795000000001 } from './migrations/0001-initial-schema.js';
import { ConnectorState1795000000002 } from './migrations/0002-connector-state.js';
import { ConnectorStateEntity } from '../channels/connector-state.entity.js';
import { Routing1795000000003 } from './migrations/0003-routing.js';
import { TimerEntity } from '../timers/timer.entity.js';
import { Collaboration1795000000004 } from './migrations/0004-collaboration.js';
import { CannedAnswerEntity } from '../canned/canned.entity.js';
import { ParticipantEntity, PinEntity } from '../conversations/participant.entity.js';
import { Calls1795000000005 } from './migrations/0005-calls.js';
import { OutboxInFlight1795000000006 } from './migrations/0006-outbox-in-flight.js';
import { SearchIndexes1795000000007 } from './migrations/0007-search-indexes.js';
import { AttachmentContents1795000000008 } from './migrations/0008-attachment-contents.js';
import { SipAccountEntity } from '../calls/sip-account.entity.js';

export const entities = [
  UserEntity, SessionEntity, LineEntity, LineMemberEntity, ChannelEntity, ContactEntity, ContactIdentityEntity,
  LeadEntity, ConversationEntity, MessageEntity, AttachmentEntity, OutboxEntity, EventEntity, ConnectorStateEntity, TimerEntity, CannedAnswerEntity, ParticipantEntity, PinEntity, SipAccountEntity,
];

export const migrations = [InitialSchema1795000000001, ConnectorState1795000000002, Routing1795000000003, Collaboration1795000000004, Calls1795000000005, OutboxInFlight1795000000006, SearchIndexes1795000000007, AttachmentContents1795000000008];
