import { randomBytes, randomUUID } from "node:crypto";
import type { SqsMessageAttribute } from "./sqs-md5.js";

/** A message held by the SQS stand-in. Times are epoch milliseconds of the stand-in's clock. */
export interface StoredMessage {
  messageId: string;
  body: string;
  /** Message attributes as sent (`StringValue`, or base64 `BinaryValue`). */
  attributes: Record<string, SqsMessageAttribute>;
  delaySeconds: number;
  sentAt: number;
  /** Not received before this time (delay, or visibility timeout of the last receive). */
  visibleAt: number;
  receiveCount: number;
  /** Handle of the most recent receive; only it deletes the message. */
  receiptHandle?: string;
  /** When the message was first received. */
  firstReceivedAt?: number;
  /** The sender's principal, as SQS reports it in `SenderId`. */
  senderId: string;
}

/** The `SenderId` of a message put straight into a queue, as an unknown producer's. */
const PRODUCER_SENDER_ID = "AIDAIENQZJOLO23YVJ4VO";

/** What happened to a receipt handle passed to delete or change-visibility. */
export type HandleLookup = "current" | "stale" | "invalid";

/** Where a queue moves messages received `maxReceiveCount` times (SQS redrive policy). */
export interface DeadLetterTarget {
  queue: SqsQueue;
  maxReceiveCount: number;
}

/**
 * One in-memory standard queue with SQS's visibility rules: a received message is invisible until
 * `visibleAt`, `DelaySeconds` defers its first visibility, and only the latest receipt handle deletes it.
 */
export class SqsQueue {
  /** Every message in the queue, visible or not, in send order. */
  readonly messages: StoredMessage[] = [];
  /** Every receipt handle ever issued -> its message (deleted messages stay, so a repeat delete succeeds). */
  private readonly handles = new Map<string, StoredMessage>();
  deadLetter: DeadLetterTarget | undefined;

  constructor(
    readonly name: string,
    readonly visibilityTimeoutSeconds: number,
    private readonly clock: () => number,
  ) {}

  /** Adds a message, visible after `delaySeconds`. */
  send(
    body: string,
    attributes: Record<string, SqsMessageAttribute>,
    delaySeconds: number,
    senderId: string = PRODUCER_SENDER_ID,
  ) {
    const now = this.clock();
    const message: StoredMessage = {
      messageId: randomUUID(),
      body,
      attributes,
      delaySeconds,
      sentAt: now,
      visibleAt: now + delaySeconds * 1000,
      receiveCount: 0,
      senderId,
    };
    this.messages.push(message);
    return message;
  }

  /**
   * Receives up to `max` visible messages, hiding each for `visibilitySeconds` under a new handle.
   * A message already received `maxReceiveCount` times moves to the dead-letter queue instead.
   */
  receive(max: number, visibilitySeconds = this.visibilityTimeoutSeconds): StoredMessage[] {
    const now = this.clock();
    const received: StoredMessage[] = [];
    for (const message of [...this.messages]) {
      if (received.length >= max) break;
      if (message.visibleAt > now) continue;
      if (this.deadLetter && message.receiveCount >= this.deadLetter.maxReceiveCount) {
        this.remove(message);
        this.deadLetter.queue.adopt(message);
        continue;
      }
      message.receiveCount += 1;
      message.firstReceivedAt ??= now;
      message.visibleAt = now + visibilitySeconds * 1000;
      message.receiptHandle = `AQEB${randomBytes(48).toString("base64")}`;
      this.handles.set(message.receiptHandle, message);
      received.push(message);
    }
    return received;
  }

  /** Classifies a receipt handle: the message's latest, an older one, or unknown. */
  lookup(receiptHandle: string): HandleLookup {
    const message = this.handles.get(receiptHandle);
    if (!message) return "invalid";
    return message.receiptHandle === receiptHandle ? "current" : "stale";
  }

  /** Deletes the message of a current handle; a stale handle succeeds without deleting, as in SQS. */
  delete(receiptHandle: string): HandleLookup {
    const found = this.lookup(receiptHandle);
    const message = this.handles.get(receiptHandle);
    if (found === "current" && message) this.remove(message);
    return found;
  }

  /** Moves `visibleAt` of a received, still invisible message; false when it is not in flight. */
  changeVisibility(receiptHandle: string, seconds: number): boolean {
    const message = this.handles.get(receiptHandle);
    const now = this.clock();
    if (!message || message.receiptHandle !== receiptHandle || message.visibleAt <= now) {
      return false;
    }
    if (!this.messages.includes(message)) return false;
    message.visibleAt = now + seconds * 1000;
    return true;
  }

  /** Removes every message. */
  purge(): void {
    this.messages.length = 0;
  }

  /** Counts for `ApproximateNumberOfMessages*`: visible, in flight (received, hidden), delayed. */
  counts(): { visible: number; notVisible: number; delayed: number } {
    const now = this.clock();
    let visible = 0;
    let notVisible = 0;
    let delayed = 0;
    for (const message of this.messages) {
      if (message.visibleAt <= now) visible += 1;
      else if (message.receiveCount > 0) notVisible += 1;
      else delayed += 1;
    }
    return { visible, notVisible, delayed };
  }

  private remove(message: StoredMessage): void {
    const index = this.messages.indexOf(message);
    if (index >= 0) this.messages.splice(index, 1);
  }

  /** Takes over a message redriven from another queue: visible at once, receive count kept. */
  private adopt(message: StoredMessage): void {
    message.visibleAt = this.clock();
    delete message.receiptHandle;
    this.messages.push(message);
  }
}
