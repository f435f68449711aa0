import { MemoryHub } from '../../src/transport/memory.js';
import type { ChatEvents } from '../../src/protocol/chat-events.js';
import { runContractSuite } from './contract.js';

const hub = new MemoryHub();
runContractSuite('memory', () => hub.transport<ChatEvents>());
