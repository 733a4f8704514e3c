import type { Socket } from 'node:net';
import DNS from 'dns2';
import { AnswerRecord, DnsFailure, DnsRecordType, DnsValueByType, Zone, ZoneAnswer } from './zone';

const { Packet } = DNS;
const TTL_SECONDS = 5;
const RECORD_TYPES: readonly DnsRecordType[] = ['A', 'AAAA', 'MX', 'TXT', 'CNAME'];
const BIND_ATTEMPTS = 10;

export interface DnsQuery {
  name: string;
  type: string;
  transport: 'udp' | 'tcp';
}

export interface TestDnsServer {
  address: '127.0.0.1';
  port: number;
  /** `127.0.0.1:<port>`, the form `Resolver#setServers` and `@smarthost/dns` take. */
  server: string;
  /** Replaces the whole RRset of `type` at `name`. */
  set<T extends DnsRecordType>(name: string, type: T, values: readonly DnsValueByType[T][]): void;
  remove(name: string, type?: DnsRecordType): void;
  /**
   * Makes every query for exactly `name` (of `type` only, when given) fail: SERVFAIL, REFUSED, or no answer at all
   * (client timeout).
   */
  fail(name: string, failure?: DnsFailure, type?: DnsRecordType): void;
  unfail(name: string, type?: DnsRecordType): void;
  /** Removes all records and failures (not the query log). */
  clear(): void;
  /** Every query received, in order. */
  readonly queries: readonly DnsQuery[];
  close(): Promise<void>;
}

type Send = (response: DNS.Packet) => Promise<Buffer>;

/**
 * A real authoritative DNS server on 127.0.0.1, UDP and TCP on the same port: answers that do not
 * fit in the client's UDP payload size are sent truncated (TC=1) and resolvers retry over TCP
 * (RFC 7766), which long TXT records such as DKIM keys need.
 */
export async function startDnsServer(): Promise<TestDnsServer> {
  const zone = new Zone();
  const queries: DnsQuery[] = [];
  const handler = (transport: DnsQuery['transport']) => (request: DNS.Packet, send: Send) => {
    const question = request.questions[0];
    if (!question) return;
    const type = typeName(question.type);
    queries.push({ name: question.name, type, transport });
    const answer = zone.answer(question.name, isRecordType(type) ? type : 'OTHER');
    if (answer.kind === 'fail' && answer.failure === 'timeout') return;
    void send(buildResponse(request, answer)).catch(() => undefined);
  };
  const { udp, tcp, port, connections } = await bindBoth(handler);
  return {
    address: '127.0.0.1',
    port,
    server: `127.0.0.1:${port}`,
    set: (name, type, values) => zone.set(name, type, values),
    remove: (name, type) => zone.remove(name, type),
    fail: (name, failure = 'servfail', type) => zone.fail(name, failure, type),
    unfail: (name, type) => zone.unfail(name, type),
    clear: () => zone.clear(),
    queries,
    close: async () => {
      for (const socket of connections) socket.destroy();
      await Promise.all([
        new Promise<void>((resolve) => udp.close(() => resolve())),
        new Promise<void>((resolve) => tcp.close(() => resolve())),
      ]);
    },
  };
}

async function bindBoth(handler: (transport: 'udp' | 'tcp') => (request: DNS.Packet, send: Send) => void) {
  for (let attempt = 1; ; attempt++) {
    const udp = DNS.createUDPServer(handler('udp') as DNS.DnsHandler);
    await udp.listen(0, '127.0.0.1');
    const port = udp.address().port;
    const tcp = DNS.createTCPServer(handler('tcp') as DNS.DnsHandler);
    const connections = new Set<Socket>();
    tcp.on('connection', (socket: Socket) => {
      connections.add(socket);
      socket.on('close', () => connections.delete(socket));
    });
    try {
      await listenTcp(tcp, port);
      return { udp, tcp, port, connections };
    } catch (error) {
      // The UDP port was free but its TCP twin is taken by someone else: try another port.
      udp.close();
      if (attempt >= BIND_ATTEMPTS) throw error;
    }
  }
}

function listenTcp(tcp: DNS.TCPServer, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    tcp.once('error', reject);
    tcp.listen(port, '127.0.0.1', () => {
      tcp.off('error', reject);
      resolve();
    });
  });
}

function buildResponse(request: DNS.Packet, answer: ZoneAnswer): DNS.Packet {
  const response = Packet.createResponseFromRequest(request);
  response.header.aa = 1;
  if (answer.kind === 'fail') {
    response.header.rcode = answer.failure === 'servfail' ? RCODE.SERVFAIL : RCODE.REFUSED;
    return response;
  }
  response.header.rcode = answer.rcode === 'NXDOMAIN' ? RCODE.NXDOMAIN : RCODE.NOERROR;
  response.answers = answer.records.map(toResource);
  return response;
}

// dns2 has these at runtime (Packet.RCODE) but not in its type declarations.
const RCODE = { NOERROR: 0, SERVFAIL: 2, NXDOMAIN: 3, REFUSED: 5 } as const;

function toResource(record: AnswerRecord): DNS.Packet.Resource {
  const base = { name: record.name, type: Packet.TYPE[record.type], class: Packet.CLASS.IN, ttl: TTL_SECONDS };
  switch (record.type) {
    case 'A':
    case 'AAAA':
      return new Packet.Resource({ ...base, address: record.address });
    case 'MX':
      return new Packet.Resource({ ...base, exchange: record.exchange, priority: record.priority });
    case 'CNAME':
      return new Packet.Resource({ ...base, domain: record.domain });
    case 'TXT':
      // dns2 writes Buffer character-strings as they are, which keeps our 255-byte split intact.
      return new Packet.Resource({ ...base, data: record.data as unknown as string[] });
  }
}

function typeName(code: number): string {
  const entry = Object.entries(Packet.TYPE).find(([, value]) => value === code);
  return entry ? entry[0] : String(code);
}

function isRecordType(type: string): type is DnsRecordType {
  return (RECORD_TYPES as readonly string[]).includes(type);
}
