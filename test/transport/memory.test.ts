import { MemoryHub } from '../../src/transport/memory.js';
import type { ChatEvents } from '../../src/protocol/chat-events.js';
import { runContractSuite } from './contract.js';

const hub = new MemoryHub();
// With a signer, as the app runs it: each member announces its identity's id and key.
runContractSuite('memory', (signer) => hub.transport<ChatEvents>({ signer }));
