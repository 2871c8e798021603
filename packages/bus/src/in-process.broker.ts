/**
 * The in-process broker: the shared "server" that in-process transports connect to, so
 * several services (and several replicas of one service) in one process talk exactly as
 * they would over NATS. One stream log of durable events, durable consumers with
 * members, queue groups for requests.
 *
 * Invariants (mirroring NATS/JetStream, checked by the contract suite):
 * - QUEUE_GROUP_SINGLE_DELIVERY: a request goes to one member of each queue group (round robin).
 * - DURABLE_SINGLE_DELIVERY: an event goes to one member of each durable consumer; a new
 *   consumer starts from the beginning of the log (deliver policy "all").
 * - AT_LEAST_ONCE: a nak (or a throwing handler) comes back after its delay, to any member;
 *   only ack and term end a delivery. A leaving member first lets its in-flight deliveries settle.
 * Not emulated: ack-wait expiry (in-process handlers always settle), persistence across processes.
 */

import { subjectMatches } from './subject-match.js';
import type { BusHeaders, BusMessage, Disposition, EventDelivery, Reply } from './transport.port.js';

interface Server {
  subject: string;
  queue: string;
  handler: (request: BusMessage) => Promise<Reply>;
}

interface StoredEvent {
  sequence: number;
  subject: string;
  data: Uint8Array;
  headers: BusHeaders;
}

export interface ConsumerMember {
  concurrency: number;
  inFlight: number;
  handler: (delivery: EventDelivery) => Promise<Disposition>;
  settled: Set<Promise<void>>;
}

interface ConsumerState {
  filter: string;
  ready: Array<{ sequence: number; count: number }>;
  members: ConsumerMember[];
  next: number;
}

export interface InProcessBroker {
  servers: Set<Server>;
  subscribers: Set<{ pattern: string; handler: (m: BusMessage) => void }>;
  addServer(server: Server): () => void;
  pickServers(subject: string): Server[];
  storeEvent(subject: string, data: Uint8Array, headers: BusHeaders, id: string): void;
  join(durable: string, filter: string, member: ConsumerMember): () => Promise<void>;
}

export function createInProcessBroker(): InProcessBroker {
  const servers = new Set<Server>();
  const roundRobin = new Map<string, number>();
  const log: StoredEvent[] = [];
  const seenIds = new Set<string>();
  const consumers = new Map<string, ConsumerState>();

  const pump = (state: ConsumerState) => {
    while (state.ready.length > 0) {
      const n = state.members.length;
      let member: ConsumerMember | undefined;
      for (let i = 0; i < n; i++) {
        const candidate = state.members[(state.next + i) % n]!;
        if (candidate.inFlight < candidate.concurrency) {
          member = candidate;
          state.next = (state.next + i + 1) % n;
          break;
        }
      }
      if (!member) return;
      const item = state.ready.shift()!;
      const event = log[item.sequence - 1]!;
      item.count += 1;
      member.inFlight += 1;
      const chosen = member;
      const run = (async () => {
        let disposition: Disposition;
        try {
          disposition = await chosen.handler({
            subject: event.subject,
            data: event.data.slice(),
            headers: { ...event.headers },
            deliveryCount: item.count,
            sequence: event.sequence,
          });
        } catch {
          disposition = { nak: true, delayMs: 0 };
        }
        chosen.inFlight -= 1;
        if ('nak' in disposition) {
          const timer = setTimeout(() => {
            state.ready.push(item);
            pump(state);
          }, disposition.delayMs);
          timer.unref();
        }
        pump(state);
      })();
      chosen.settled.add(run);
      void run.finally(() => chosen.settled.delete(run));
    }
  };

  return {
    servers,
    subscribers: new Set(),
    addServer(server) {
      servers.add(server);
      return () => servers.delete(server);
    },
    pickServers(subject) {
      const groups = new Map<string, Server[]>();
      for (const s of servers) {
        if (s.subject !== subject) continue;
        const list = groups.get(s.queue) ?? [];
        list.push(s);
        groups.set(s.queue, list);
      }
      const picked: Server[] = [];
      for (const [queue, members] of groups) {
        const key = `${subject} ${queue}`;
        const i = roundRobin.get(key) ?? 0;
        picked.push(members[i % members.length]!);
        roundRobin.set(key, i + 1);
      }
      return picked;
    },
    storeEvent(subject, data, headers, id) {
      if (seenIds.has(id)) return;
      seenIds.add(id);
      const event: StoredEvent = {
        sequence: log.length + 1,
        subject,
        data: data.slice(),
        headers: { ...headers },
      };
      log.push(event);
      for (const state of consumers.values()) {
        if (!subjectMatches(state.filter, subject)) continue;
        state.ready.push({ sequence: event.sequence, count: 0 });
        setImmediate(() => pump(state));
      }
    },
    join(durable, filter, member) {
      let state = consumers.get(durable);
      if (!state) {
        state = { filter, ready: [], members: [], next: 0 };
        for (const e of log)
          if (subjectMatches(filter, e.subject)) state.ready.push({ sequence: e.sequence, count: 0 });
        consumers.set(durable, state);
      }
      const joined = state;
      joined.members.push(member);
      setImmediate(() => pump(joined));
      return async () => {
        joined.members = joined.members.filter((m) => m !== member);
        joined.next = 0;
        await Promise.all([...member.settled]);
      };
    },
  };
}
