// The scenario file: what a teacher writes and a student opens. One JSON
// object says which machine boots (a boot manifest, CPUs, time mode), which
// programs it brings, what is typed at its shell, which events of the trace
// the teaching text is pinned to, what the view shows, and what an exercise
// checks. docs/scenario.schema.json is the schema (for editors and for
// parse.ts, which also checks what a schema cannot say).
//
// The idea: a scenario names events by what they are — "the second MSG_SEND
// by pong" — never by their sequence number, so that it still points at the
// same moment after the kernel or a program changes. In deterministic mode
// (the default) the same scenario gives the same trace, so a step, a check
// and a recorded trace agree on what happened.

/** The format this build reads; a file of another format is refused with a message. */
export const SCENARIO_FORMAT = 1;
/** The largest scenario file, in bytes of JSON. */
export const SCENARIO_MAX_BYTES = 1 << 20;

/** An event named by its kind and its process, not its number: the nth (1-based) such event of the run. */
export interface EventMatch {
  /** A trace kind name, either case: "msg_send", "HANDLE_REVOKE". */
  kind: string;
  /** The program name of the process it concerns ("pong"; the kernel's own events: "kernel"); absent: any. */
  process?: string;
  /** Which of the matching events, counting from 1 (default 1). */
  nth?: number;
  /**
   * Argument values the event must have, by the argument names of its kind
   * (docs/abi.md, trace kinds: "type", "koid", "reason"…). A "type" may be an
   * object type name ("device", "channel").
   */
  args?: Record<string, number | string>;
}

/** A kernel object, named by an event: the object in one of that event's arguments ("koid", "chanKoid"…). */
export interface ObjectRef {
  event: EventMatch;
  /** The argument that holds the object's koid. */
  arg: string;
}

/** A step of the teaching text: shown while the selected event is at or past `at` (and before the next step's). */
export interface Step {
  at: EventMatch;
  text: string;
}

/** A program the scenario brings: AssemblyScript compiled in the page, a prebuilt module, or a built program under a name. */
export type ScenarioProgram =
  | { name: string; source: string }
  | { name: string; wasm: string }
  | { name: string; builtin: string };

/** What the view shows at first. */
export interface ScenarioView {
  /** Trace kinds shown: one preset (ipc, caps, sched) or kind names (absent: all). */
  kinds?: string[];
  /** Programs whose events are hidden. */
  hide?: string[];
  /** The panels shown (absent: the playground's own layout). */
  panels?: string[];
  /** Select this event once the machine has recorded it. */
  event?: EventMatch;
}

/**
 * An exercise's check, decided over the run's trace (the final state is the
 * trace folded to its end). Each says in `text` what it checks, as the
 * student reads it.
 */
export type Check =
  /** `first` happens, and before `then` (which must happen too). */
  | { type: 'before'; text: string; first: EventMatch; then: EventMatch }
  /** How many events match: exactly, at least, or at most. */
  | { type: 'count'; text: string; match: EventMatch; equals?: number; atLeast?: number; atMost?: number }
  /** At the end of the run, the processes holding a handle to the object are exactly `only` / include `all` of these. */
  | { type: 'holds'; text: string; object: ObjectRef; only?: string[]; all?: string[] }
  /** At the end of the run, none of these processes holds a handle to the object. */
  | { type: 'holds-none'; text: string; object: ObjectRef; processes: string[] }
  /** A question the student answers (a number, or one of `choices`); the expected answer is computed. */
  | { type: 'answer'; text: string; question: string; expected: Expected; choices?: string[] };

/** How a question's expected answer is computed. */
export type Expected =
  /** From the run: the number of events that match. */
  | { count: EventMatch }
  /** From the run: the program name of the process the matching event concerns. */
  | { processOf: EventMatch }
  /** By formula: arithmetic over the variant's parameters, e.g. "N * 2 + 1" (+ - * / %, parentheses, min(), max()). */
  | { formula: string };

/**
 * Seeded variants, OSTEP-style: each parameter is drawn from the seed (an
 * integer range, or one of a list), and `${NAME}` in the script, the step and
 * check texts and the manifest's strings becomes its value (a manifest string
 * that is exactly "${NAME}" becomes the number). The seed is shown, and can
 * be changed for another variant; answers are computed for the drawn values.
 */
export interface Variant {
  /** The seed a student gets first (an integer from 0 to 2^31-1). */
  seed: number;
  params: Record<string, { min: number; max: number } | { oneOf: (string | number)[] }>;
}

export interface Scenario {
  format: typeof SCENARIO_FORMAT;
  /** kebab-case, unique in the library. */
  id: string;
  title: string;
  /** The teaching text: paragraphs separated by blank lines, `code` in backquotes. */
  text: string;
  /** A boot manifest (docs/manifest.schema.json); absent: the playground's own. */
  manifest?: Record<string, unknown>;
  /** 1..8, default 1. */
  cpus?: number;
  /** Default true: a scenario is reproducible. */
  deterministic?: boolean;
  programs?: ScenarioProgram[];
  /**
   * Faults the machine injects (the web HAL's specs, ACTION:PROGRAM[:POINT][:xTIMES],
   * docs/userland.md, Fault injection): how a scenario crashes a driver on purpose.
   */
  inject?: string[];
  /** Shell lines typed at the prompt, in order. */
  script?: string[];
  steps?: Step[];
  view?: ScenarioView;
  checks?: Check[];
  variant?: Variant;
  /** A recorded deterministic trace (its format belongs to the recording's own module). */
  recording?: Record<string, unknown>;
}
