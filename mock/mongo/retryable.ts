/**
 * Retryable writes, as a replica-set mongod keeps them. A write command outside a transaction
 * that carries `lsid` and `txnNumber` (no `autocommit`) is a retryable write: the session
 * remembers its highest txnNumber and, for that number, the result of every statement that
 * wrote something (mongod finds them in the oplog by `stmtId`). A retry with the same txnNumber
 * answers those statements from the record without applying them again (their ids listed in
 * `retriedStmtIds`, `retriedStmtId` for findAndModify) and runs only the statements that did not
 * write. An older txnNumber is TransactionTooOld (225). A session's record goes when the session
 * ends (endSessions) or has not been used for logicalSessionTimeoutMinutes. With a data
 * directory the records are durable, as mongod's config.transactions: a write's record is put
 * in the same journal record as the write, so a retry after a restart is still recognised.
 */
import type { Document } from 'bson';
import { MongoCommandError } from './errors';
import type { Change, CollectionState } from './storage/types';

/** Where the records are stored: a namespace no client can name (`$` is refused in collection names). */
export const SESSIONS_NS = '$sessions.retryableWrites';

/** As the hello reply advertises (mongod's default). */
export const LOGICAL_SESSION_TIMEOUT_MINUTES = 30;

const SWEEP_INTERVAL_MS = 60_000;

interface SessionRecord {
  txnNumber: number;
  /** stmtId → what that statement's reply part was when it wrote. */
  statements: Map<number, Document>;
  lastUse: number;
}

/** One retryable write command's view of its session's record. */
export class RetryAttempt {
  /** Statements answered from the record, in the order the command met them. */
  readonly retried: number[] = [];
  /** Whether this attempt added to the record (then it must be stored with the write). */
  changed = false;

  constructor(
    private readonly record: SessionRecord,
    private readonly stmtIds: (index: number) => number,
  ) {}

  stmtId(index: number): number {
    return this.stmtIds(index);
  }

  /** The recorded result of statement `index` when an earlier attempt executed it. */
  executed(index: number): Document | undefined {
    const stmtId = this.stmtIds(index);
    const result = this.record.statements.get(stmtId);
    if (result) this.retried.push(stmtId);
    return result;
  }

  /** Remembers what statement `index` did, for a retry to answer without running it. */
  remember(index: number, result: Document): void {
    this.record.statements.set(this.stmtIds(index), result);
    this.changed = true;
  }
}

/** The session's map key formatted as mongod prints a session id in its messages. */
function printable(session: string): string {
  return session.length === 32 ? `${session.slice(0, 8)}-${session.slice(8, 12)}-${session.slice(12, 16)}-${session.slice(16, 20)}-${session.slice(20)}` : session;
}

export function transactionTooOld(txnNumber: number, session: string, newer: number, what: 'retryable write' | 'transaction', starting: 'retryable write' | 'transaction'): MongoCommandError {
  const opening = starting === 'retryable write' ? `Retryable write with txnNumber ${txnNumber} is prohibited` : `Cannot start transaction ${txnNumber}`;
  return new MongoCommandError(225, `${opening} on session ${printable(session)} because a newer ${what} with txnNumber ${newer} has already started on this session.`);
}

export class RetryableWrites {
  private readonly sessions = new Map<string, SessionRecord>();
  private lastSweep: number;

  constructor(
    private readonly now: () => number = Date.now,
    private readonly timeoutMs = LOGICAL_SESSION_TIMEOUT_MINUTES * 60_000,
  ) {
    this.lastSweep = now();
  }

  /** The highest retryable txnNumber the session has used, if its record is still kept. */
  txnNumber(session: string): number | undefined {
    return this.live(session, this.now())?.txnNumber;
  }

  /**
   * Opens the command's attempt: a new txnNumber starts an empty record, the same one continues
   * it (a retry), an older one is refused. `newerTransaction` is the txnNumber of the session's
   * multi-document transaction, which shares the numbering.
   */
  begin(session: string, txnNumber: number, stmtIds: (index: number) => number, newerTransaction?: number): RetryAttempt {
    const now = this.now();
    this.sweep(now);
    if (newerTransaction !== undefined && newerTransaction > txnNumber) {
      throw transactionTooOld(txnNumber, session, newerTransaction, 'transaction', 'retryable write');
    }
    let record = this.live(session, now);
    if (record && txnNumber < record.txnNumber) throw transactionTooOld(txnNumber, session, record.txnNumber, 'retryable write', 'retryable write');
    if (!record || txnNumber > record.txnNumber) {
      record = { txnNumber, statements: new Map(), lastUse: now };
      this.sessions.set(session, record);
    }
    record.lastUse = now;
    return new RetryAttempt(record, stmtIds);
  }

  /** Any command naming the session keeps it alive, as mongod's logical session cache does. */
  touch(session: string): void {
    const record = this.live(session, this.now());
    if (record) record.lastUse = this.now();
  }

  /** The session's record unless it has expired (an expired one is dropped). */
  private live(session: string, now: number): SessionRecord | undefined {
    const record = this.sessions.get(session);
    if (record && now - record.lastUse >= this.timeoutMs) {
      this.sessions.delete(session);
      return undefined;
    }
    return record;
  }

  /** Forgets the session's record; returns the change that removes it from the store. */
  endSession(session: string): Change | undefined {
    return this.sessions.delete(session) ? { op: 'del', ns: SESSIONS_NS, id: session } : undefined;
  }

  /** The change that stores the session's record as it is now. */
  change(session: string): Change | undefined {
    const record = this.sessions.get(session);
    return record ? { op: 'put', ns: SESSIONS_NS, doc: stored(session, record) } : undefined;
  }

  /** The records for a snapshot (fresh documents, never changed afterwards). */
  state(): CollectionState {
    return { ns: SESSIONS_NS, options: {}, indexes: [], docs: [...this.sessions].map(([session, record]) => stored(session, record)) };
  }

  /** Takes back the records the store recovered. */
  load(docs: Document[]): void {
    for (const doc of docs) {
      const statements = new Map<number, Document>();
      for (const { stmtId, result } of (doc.statements ?? []) as Document[]) statements.set(Number(stmtId), result as Document);
      this.sessions.set(String(doc._id), { txnNumber: Number(doc.txnNumber), statements, lastUse: new Date(doc.lastUse as Date).getTime() });
    }
  }

  /** Forgets sessions unused for the logical session timeout (at most once a minute). */
  private sweep(now: number): void {
    if (now - this.lastSweep < SWEEP_INTERVAL_MS && now >= this.lastSweep) return;
    this.lastSweep = now;
    for (const [session, record] of this.sessions) if (now - record.lastUse >= this.timeoutMs) this.sessions.delete(session);
  }
}

function stored(session: string, record: SessionRecord): Document {
  return {
    _id: session,
    txnNumber: record.txnNumber,
    lastUse: new Date(record.lastUse),
    statements: [...record.statements].map(([stmtId, result]) => ({ stmtId, result })),
  };
}
