// The channels between the host and the kernel Worker where they cannot
// share memory (solo mode in a page that is not cross-origin isolated).
//
// The idea: both sides keep the rings and status words of shared.ts, each its
// own plain copy, and a MessagePort carries what changed. The kernel Worker's
// side (WorkerRelay) takes what the machine wrote — console bytes, trace
// records in bulk, the status words — and posts it, its buffers transferred,
// once a loop pass; the host's side (HostRelay) writes it into the host's
// copies, so OncrixSystem reads them exactly as it reads shared rings, and
// posts keystrokes the other way. Waiting for news becomes waiting for a
// message.

import { TRACE_RECORD_BYTES } from '@oncrix/abi';
import { ByteRing, RecordRing, STATUS, type SharedChannels } from './shared.js';

/** What the kernel Worker posts: what the machine wrote since the last message. */
interface News {
  output: Uint8Array;
  trace: Uint8Array;
  status: Int32Array;
}

/** What the host posts: keystrokes. */
interface Keys {
  input: Uint8Array;
}

/** Status words the host owns (it writes them to be woken): not overwritten by the Worker's copy. */
const HOST_WORDS = new Set<number>([STATUS.HOST_WAITS, STATUS.NEWS]);

/** The kernel Worker's end: drains its own rings into messages, and takes keystrokes into its input ring. */
export class WorkerRelay {
  private readonly output: ByteRing;
  private readonly trace: RecordRing;
  private readonly input: ByteRing;
  private readonly status: Int32Array;
  private last = new Int32Array(0);

  constructor(private readonly port: MessagePort, ch: SharedChannels, keys: () => void) {
    this.output = new ByteRing(ch.output);
    this.trace = new RecordRing(ch.trace, TRACE_RECORD_BYTES);
    this.input = new ByteRing(ch.input);
    this.status = new Int32Array(ch.status);
    port.onmessage = (e: MessageEvent<Keys>): void => {
      this.input.write(e.data.input);
      keys();
    };
  }

  /** Post what changed since the last call (nothing when nothing did). */
  flush(): void {
    const output = this.output.read();
    const { bytes: trace } = this.trace.drain();
    const status = this.status.slice();
    const same = status.length === this.last.length && status.every((w, i) => w === this.last[i]);
    if (output.length === 0 && trace.length === 0 && same) return;
    this.last = status.slice();
    const news: News = { output, trace, status };
    this.port.postMessage(news, [output.buffer, trace.buffer, status.buffer]);
  }

  close(): void {
    this.flush();
    this.port.close();
  }
}

/** The host's end: writes the Worker's news into the host's copies of the rings; sends keystrokes. */
export class HostRelay {
  private readonly output: ByteRing;
  private readonly trace: RecordRing;
  private readonly status: Int32Array;
  private waiters: (() => void)[] = [];

  constructor(private readonly port: MessagePort, ch: SharedChannels) {
    this.output = new ByteRing(ch.output);
    this.trace = new RecordRing(ch.trace, TRACE_RECORD_BYTES);
    this.status = new Int32Array(ch.status);
    port.onmessage = (e: MessageEvent<News>): void => this.take(e.data);
  }

  private take(news: News): void {
    let bytes = news.output;
    while (bytes.length > 0) {
      const n = this.output.write(bytes);
      if (n === 0) break; // the host does not read its console: drop, as a full shared ring would stall
      bytes = bytes.subarray(n);
    }
    if (news.trace.length > 0) {
      const words = new Int32Array(news.trace.buffer, news.trace.byteOffset, news.trace.byteLength >> 2);
      this.trace.push(words, 0, news.trace.byteLength / TRACE_RECORD_BYTES);
    }
    news.status.forEach((w, i) => {
      if (!HOST_WORDS.has(i)) this.status[i] = w;
    });
    for (const wake of this.waiters.splice(0)) wake();
  }

  /** Keystrokes for the UART. */
  send(input: Uint8Array): void {
    const keys: Keys = { input: input.slice() };
    this.port.postMessage(keys, [keys.input.buffer]);
  }

  /** Resolves at the next message from the Worker, or after timeoutMs. */
  next(timeoutMs?: number): Promise<void> {
    return new Promise((resolve) => {
      this.waiters.push(resolve);
      if (timeoutMs !== undefined) setTimeout(resolve, timeoutMs);
    });
  }

  close(): void {
    this.port.close();
  }
}
