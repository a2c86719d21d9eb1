// sh's line editor: raw keystrokes in, an edited line and terminal echo out.
//
// The console gives raw bytes and echoes nothing, so the shell draws the line
// itself. The editor is pure: `feed` takes one byte, updates the line and the
// cursor, and appends what the terminal must show to `out` (the caller sends
// it). Keys: printable ASCII inserts at the cursor; Backspace (0x7f/0x08)
// and Delete (ESC[3~) remove; ESC[D / ESC[C move left / right; Home / End
// (ESC[H, ESC[F, ESC[1~, ESC[4~) jump; ESC[A / ESC[B walk the history;
// Enter (CR, LF or CR LF) ends the line; a 0x03 byte (Ctrl-C when the console
// does not turn it into a signal) cancels it. Cursor moves use ANSI CSI
// sequences, which xterm.js and real terminals understand.

/** What a byte did. */
export const KEY_NONE = 0;
export const KEY_DONE = 1;
export const KEY_CANCEL = 2;

const ESC = "\x1b";
const HISTORY_MAX = 100;

/** ESC [ n D: cursor n columns left ("" for n = 0). */
function left(n: i32): string {
  return n > 0 ? ESC + "[" + n.toString() + "D" : "";
}

function right(n: i32): string {
  return n > 0 ? ESC + "[" + n.toString() + "C" : "";
}

/** Erase from the cursor to the end of the line. */
const ERASE_TO_END = ESC + "[K";

export class LineEditor {
  line: string = "";
  cursor: i32 = 0;
  /** Echo for the terminal, accumulated until the caller sends it. */
  out: string = "";
  history: Array<string> = [];

  private histPos: i32 = 0;
  private draft: string = "";
  /** 0 plain, 1 after ESC, 2 inside a CSI sequence (ESC [ or ESC O). */
  private escState: i32 = 0;
  private escParam: i32 = 0;
  private lastWasCR: bool = false;

  /** Begin a new, empty line. */
  start(): void {
    this.line = "";
    this.cursor = 0;
    this.histPos = this.history.length;
    this.draft = "";
    this.escState = 0;
  }

  /** Take the pending echo. */
  takeOutput(): string {
    const s = this.out;
    this.out = "";
    return s;
  }

  /** Remember a finished line (not empty lines, not a repeat of the last one). */
  remember(line: string): void {
    if (line.length == 0) return;
    const n = this.history.length;
    if (n > 0 && this.history[n - 1] == line) return;
    if (n >= HISTORY_MAX) this.history.shift();
    this.history.push(line);
  }

  /** Process one input byte; returns KEY_DONE when the line is complete, KEY_CANCEL when dropped. */
  feed(b: u8): i32 {
    const wasCR = this.lastWasCR;
    this.lastWasCR = false;
    if (this.escState == 1) {
      this.escState = b == 0x5b || b == 0x4f ? 2 : 0; // '[' or 'O'
      this.escParam = 0;
      return KEY_NONE;
    }
    if (this.escState == 2) {
      if (b >= 0x30 && b <= 0x39) {
        this.escParam = this.escParam * 10 + (b - 0x30);
      } else if (b != 0x3b) { // ';' separates parameters; anything else ends the sequence
        this.escState = 0;
        this.csi(b, this.escParam);
      }
      return KEY_NONE;
    }
    switch (b) {
      case 0x1b: this.escState = 1; return KEY_NONE;
      case 0x0d: this.lastWasCR = true; return this.finish();
      case 0x0a: return wasCR ? KEY_NONE : this.finish(); // the LF of a CR LF pair
      case 0x7f:
      case 0x08: this.backspace(); return KEY_NONE;
      case 0x03: this.out += "^C\n"; return KEY_CANCEL;
    }
    if (b >= 0x20 && b < 0x7f) this.insert(String.fromCharCode(b));
    return KEY_NONE;
  }

  private finish(): i32 {
    this.out += "\n";
    return KEY_DONE;
  }

  /** The end of a CSI sequence: final byte and its (first) numeric parameter. */
  private csi(final: u8, param: i32): void {
    switch (final) {
      case 0x41: this.historyUp(); break; // A
      case 0x42: this.historyDown(); break; // B
      case 0x43: this.moveRight(); break; // C
      case 0x44: this.moveLeft(); break; // D
      case 0x48: this.home(); break; // H
      case 0x46: this.end(); break; // F
      case 0x7e: // ~ : 1/7 Home, 4/8 End, 3 Delete
        if (param == 1 || param == 7) this.home();
        else if (param == 4 || param == 8) this.end();
        else if (param == 3) this.deleteAtCursor();
        break;
    }
  }

  private insert(ch: string): void {
    const tail = this.line.substring(this.cursor);
    this.line = this.line.substring(0, this.cursor) + ch + tail;
    this.cursor += ch.length;
    this.out += ch + tail + left(tail.length);
  }

  private backspace(): void {
    if (this.cursor == 0) return;
    const tail = this.line.substring(this.cursor);
    this.line = this.line.substring(0, this.cursor - 1) + tail;
    this.cursor--;
    this.out += left(1) + tail + " " + left(tail.length + 1);
  }

  private deleteAtCursor(): void {
    if (this.cursor >= this.line.length) return;
    const tail = this.line.substring(this.cursor + 1);
    this.line = this.line.substring(0, this.cursor) + tail;
    this.out += tail + " " + left(tail.length + 1);
  }

  private moveLeft(): void {
    if (this.cursor == 0) return;
    this.cursor--;
    this.out += left(1);
  }

  private moveRight(): void {
    if (this.cursor >= this.line.length) return;
    this.cursor++;
    this.out += right(1);
  }

  private home(): void {
    this.out += left(this.cursor);
    this.cursor = 0;
  }

  private end(): void {
    this.out += right(this.line.length - this.cursor);
    this.cursor = this.line.length;
  }

  /** Show `s` as the whole line, cursor at its end. */
  private replace(s: string): void {
    this.out += left(this.cursor) + s + ERASE_TO_END;
    this.line = s;
    this.cursor = s.length;
  }

  private historyUp(): void {
    if (this.histPos == 0) return;
    if (this.histPos == this.history.length) this.draft = this.line;
    this.histPos--;
    this.replace(this.history[this.histPos]);
  }

  private historyDown(): void {
    if (this.histPos >= this.history.length) return;
    this.histPos++;
    this.replace(this.histPos == this.history.length ? this.draft : this.history[this.histPos]);
  }
}
