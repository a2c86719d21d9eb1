// sh: reading a command line — words, quotes, variables, redirections and
// pipes, as a POSIX shell reads them (a subset).
//
// A line is a pipeline `a | b | c`, optionally ending in `&`. Each stage is
// words and redirections: `< file`, `> file`, `>> file`, `2> file`. Words
// split on blanks; 'single quotes' keep everything, "double quotes" keep
// blanks but expand $NAME, ${NAME}, $? and $!; a backslash keeps the next
// character. Variables come from the shell (its own and exported ones); an
// unset one expands to nothing. The result is plain data for sh.ts to run;
// a line that cannot be read gives an error text instead.

/** Where a stage's fds 0, 1, 2 come from ("" for the shell's own). */
export class Stage {
  words: Array<string> = [];
  input: string = "";
  output: string = "";
  append: bool = false;
  errors: string = "";
}

export class Pipeline {
  stages: Array<Stage> = [];
  background: bool = false;
  /** Why the line could not be read ("" when it could). */
  error: string = "";
}

/** Looks a variable up: its value, or "" when unset. */
export type Lookup = (name: string) => string;

function isBlank(c: i32): bool {
  return c == 32 || c == 9;
}

function isNameChar(c: i32, first: bool): bool {
  return c == 95 || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (!first && c >= 48 && c <= 57);
}

/** A cursor over the line, building one word at a time. */
class Reader {
  at: i32 = 0;
  constructor(public line: string, public lookup: Lookup) {}

  get done(): bool { return this.at >= this.line.length; }
  peek(k: i32 = 0): i32 { return this.at + k < this.line.length ? this.line.charCodeAt(this.at + k) : -1; }

  skipBlanks(): void {
    while (!this.done && isBlank(this.peek())) this.at++;
  }

  /** $NAME, ${NAME}, $? or $! at the cursor (which is on the "$"): its value. */
  variable(): string {
    this.at++;
    if (this.peek() == 63 || this.peek() == 33) { // ? or !
      const name = this.peek() == 63 ? "?" : "!";
      this.at++;
      return this.lookup(name);
    }
    const braced = this.peek() == 123; // {
    if (braced) this.at++;
    const start = this.at;
    while (!this.done && isNameChar(this.peek(), this.at == start)) this.at++;
    const name = this.line.substring(start, this.at);
    if (braced && this.peek() == 125) this.at++;
    if (name.length == 0 && !braced) return "$";
    return this.lookup(name);
  }

  /** The next word (quotes and variables resolved); null at an operator or the end. */
  word(): string | null {
    this.skipBlanks();
    const c = this.peek();
    if (c < 0 || c == 124 || c == 60 || c == 62 || c == 38) return null; // | < > &
    if (c == 50 && this.peek(1) == 62) return null; // 2>
    let out = "";
    while (!this.done) {
      const ch = this.peek();
      if (isBlank(ch) || ch == 124 || ch == 60 || ch == 62 || ch == 38) break;
      if (ch == 92 && this.at + 1 < this.line.length) { // backslash
        out += this.line.charAt(this.at + 1);
        this.at += 2;
      } else if (ch == 39) { // 'literal'
        const end = this.line.indexOf("'", this.at + 1);
        if (end < 0) return this.unclosed("'");
        out += this.line.substring(this.at + 1, end);
        this.at = end + 1;
      } else if (ch == 34) { // "with $variables"
        this.at++;
        while (!this.done && this.peek() != 34) {
          if (this.peek() == 92 && (this.peek(1) == 34 || this.peek(1) == 92 || this.peek(1) == 36)) {
            out += this.line.charAt(this.at + 1);
            this.at += 2;
          } else if (this.peek() == 36) {
            out += this.variable();
          } else {
            out += this.line.charAt(this.at++);
          }
        }
        if (this.done) return this.unclosed('"');
        this.at++;
      } else if (ch == 36) {
        out += this.variable();
      } else {
        out += this.line.charAt(this.at++);
      }
    }
    return out;
  }

  error: string = "";

  private unclosed(quote: string): string | null {
    this.error = "sh: unclosed " + quote;
    this.at = this.line.length;
    return null;
  }
}

/** Read a command line. */
export function parseLine(line: string, lookup: Lookup): Pipeline {
  const r = new Reader(line, lookup);
  const p = new Pipeline();
  let stage = new Stage();
  while (true) {
    const w = r.word();
    if (r.error.length > 0) {
      p.error = r.error;
      return p;
    }
    if (w !== null) {
      stage.words.push(w);
      continue;
    }
    r.skipBlanks();
    if (r.done) break;
    const c = r.peek();
    if (c == 124) { // |
      r.at++;
      if (stage.words.length == 0) return fail(p, "sh: a | needs a command on each side");
      p.stages.push(stage);
      stage = new Stage();
    } else if (c == 38) { // &
      r.at++;
      r.skipBlanks();
      if (!r.done) return fail(p, "sh: & must end the line");
      p.background = true;
    } else {
      const errors = c == 50;
      const append = !errors && r.peek(1) == 62;
      r.at += errors || append ? 2 : 1;
      const target = r.word();
      if (target === null || target.length == 0) return fail(p, r.error.length > 0 ? r.error : "sh: a redirection needs a file name");
      if (errors) stage.errors = target;
      else if (c == 60) stage.input = target;
      else {
        stage.output = target;
        stage.append = append;
      }
    }
  }
  if (stage.words.length == 0 && (p.stages.length > 0 || stage.input.length + stage.output.length + stage.errors.length > 0)) {
    return fail(p, "sh: a command is missing");
  }
  if (stage.words.length > 0) p.stages.push(stage);
  return p;
}

function fail(p: Pipeline, why: string): Pipeline {
  p.error = why;
  p.stages = [];
  return p;
}

/** Join a path to the working directory and normalize it ("." and ".." lexically): an absolute path. */
export function absolutePath(cwd: string, path: string): string {
  const parts = new Array<string>();
  const all = (path.startsWith("/") ? path : cwd + "/" + path).split("/");
  for (let i = 0; i < all.length; i++) {
    const c = all[i];
    if (c.length == 0 || c == ".") continue;
    if (c == "..") {
      if (parts.length > 0) parts.pop();
    } else {
      parts.push(c);
    }
  }
  return "/" + parts.join("/");
}
