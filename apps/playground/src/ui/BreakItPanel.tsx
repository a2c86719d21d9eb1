// The break-it panel: kill, trap or hang a driver or service with a click,
// and watch init restart it. One row per driver or service of the running
// manifest (a program that holds a device or serves a service), with the
// policy the manifest gives it and its current instance (pid, generation);
// below, what each click led to, read from the trace — "uart (pid 2, gen 0)
// was killed by fault injection — restarted as pid 6, gen 1, 0.4 ms after
// it ended" — with a button that selects the restart in the trace and the
// new instance in the process table and the capability views.
//
// The idea: the panel only asks (hal-web's fault injection, point `now`,
// through the controller) and then reads what happened from the same trace
// model as every other view, so it shows what the machine did, never what it
// was expected to do. A hang is found only by a heartbeat, which the default
// manifest does not ask for (docs/userland.md, "Supervision"): the panel
// says so, and offers to reboot with one.

import { useEffect, useMemo, useState } from 'react';
import type { ProgramEntry, SupervisePolicy } from '@oncrix/boot';
import type { InjectAction } from '@oncrix/hal-web/system';
import { usePlayground } from '../state/store.js';
import { useBootPanel } from '../state/boot.js';
import { controller } from '../machine/controller.js';
import { checkConfig, isDriverOrService, machineChoice, wantsHeartbeat, withHeartbeats } from '../machine/bootConfig.js';
import type { TraceModel } from '../trace/model.js';
import { endWords, newestInstance, nextInstance, restartOf, spanWords } from '../trace/restarts.js';
import { useThrottledVersion } from './hooks.js';

const ACTIONS: readonly { action: InjectAction; label: string; what: string }[] = [
  { action: 'kill', label: 'Kill', what: 'the kernel ends it at once (fault: injected)' },
  { action: 'trap', label: 'Trap', what: 'it traps inside the syscall it is in, as a bug would make it (fault: trap)' },
  { action: 'hang', label: 'Hang', what: 'it stops answering anyone; only a heartbeat finds it' },
];

/** Clicks remembered for the outcome list. */
const KEPT = 3;

/** One click: what was asked of which instance. */
interface Click {
  id: number;
  action: InjectAction;
  name: string;
  pid: number;
  generation: number;
  policy: SupervisePolicy;
  /** The control call failed with this (null: it went through). */
  error: string | null;
}

/** "restart · critical", "hold". */
function policyWords(s: SupervisePolicy): string {
  return `${s.policy}${s.critical ? ' · critical' : ''}`;
}

/** What the policy means, for the badge's tooltip. */
function policyTitle(s: SupervisePolicy): string {
  const what = s.policy === 'restart'
    ? `init restarts it when it ends (at most ${s.limit} times in ${s.windowMs / 1000} s, with backoff)`
    : 'init leaves it ended';
  const critical = s.critical ? '; critical: when init gives up on it, the machine stops with a panic' : '';
  const beat = s.heartbeat !== undefined ? `; heartbeat every ${s.heartbeat.everyMs} ms, answer due within ${s.heartbeat.deadlineMs} ms` : '; no heartbeat';
  return what + critical + beat;
}

/** What a click has led to so far, as the trace tells it: once init has restarted the program, its SPAWN (global number) and the new pid. */
interface Outcome {
  text: string;
  restartAt: number;
  newPid: number;
}

function outcome(m: TraceModel, c: Click, panicked: boolean): Outcome {
  const who = `${c.name} (pid ${c.pid}, gen ${c.generation})`;
  if (c.error !== null) return { text: `${c.action} ${who} failed: ${c.error}`, restartAt: -1, newPid: -1 };
  const old = m.procs.get(c.pid);
  const how = old === undefined ? null : endWords(m, old);
  if (old === undefined || how === null) {
    if (c.action !== 'hang') return { text: `${c.action}: ${who}…`, restartAt: -1, newPid: -1 };
    const beat = c.policy.heartbeat;
    return {
      text: beat !== undefined
        ? `${who} hangs; init's heartbeat finds it within ${spanWords(beat.everyMs + beat.deadlineMs)}…`
        : `${who} hangs — it has no heartbeat, so nothing notices (reboot with heartbeats, or reset)`,
      restartAt: -1,
      newPid: -1,
    };
  }
  const next = nextInstance(m, old);
  if (next === null) {
    const why = panicked && c.policy.critical ? 'critical: the machine stopped' : c.policy.policy === 'hold' ? 'held: init leaves it ended'
      : 'init restarts it after its backoff, or gives up past its limit…';
    return { text: `${who} ${how} — ${why}`, restartAt: -1, newPid: -1 };
  }
  const gap = restartOf(m, next)?.gapMs ?? null;
  return {
    text: `${who} ${how} — restarted as pid ${next.pid}, gen ${next.generation}${gap === null ? '' : `, ${spanWords(gap)} after it ended`}`,
    restartAt: next.spawnAt,
    newPid: next.pid,
  };
}

/** The drivers and services of the machine's configuration; `_generation` (the boot generation) only keys the memo below: a boot is what changes the configuration. */
function breakable(_generation: number): ProgramEntry[] {
  try {
    return checkConfig(controller.bootConfig).programs.filter(isDriverOrService);
  } catch {
    return []; // the running configuration was checked before it booted
  }
}

export function BreakItPanel(): React.JSX.Element {
  useThrottledVersion(250);
  const machine = usePlayground((s) => s.machine);
  const { status, generation } = machine;
  const select = usePlayground((s) => s.select);
  const selectPid = usePlayground((s) => s.selectPid);
  const [clicks, setClicks] = useState<Click[]>([]);
  const [nextId, setNextId] = useState(1);
  const [rebootError, setRebootError] = useState('');
  // A new boot is a new machine: what was clicked on the old one is gone with it.
  useEffect(() => setClicks([]), [generation]);
  // The configuration changes only with a boot.
  const programs = useMemo(() => breakable(generation), [generation]);
  const m = usePlayground.getState().model;
  const running = status === 'running';

  const strike = (p: ProgramEntry, action: InjectAction): void => {
    const live = newestInstance(m, p.name);
    if (live === null || live.state === 'exited' || p.supervise === undefined) return;
    const click: Click = { id: nextId, action, name: p.name, pid: live.pid, generation: live.generation, policy: p.supervise as SupervisePolicy, error: null };
    setNextId(nextId + 1);
    setClicks((cs) => [click, ...cs].slice(0, KEPT));
    // Breaking a program acts on the live machine: the views follow the live end again (a selected event
    // would keep the inspectors at the state before the break), so what follows — the fault, the restart — shows.
    usePlayground.getState().setRunning(true);
    controller.inject(action, p.name).catch((e: unknown) => {
      setClicks((cs) => cs.map((c) => (c.id === click.id ? { ...c, error: (e as Error).message } : c)));
    });
  };

  /**
   * Has this instance been asked to end already (a kill or trap the trace
   * does not show yet), or to hang? Then the same click again would strike
   * the next instance at once instead, so it waits. A hung instance can
   * still be killed or trapped.
   */
  const asked = (pid: number, action: InjectAction): boolean =>
    clicks.some((c) => c.pid === pid && c.error === null && (c.action !== 'hang' || action === 'hang'));

  const noBeat = programs.filter(wantsHeartbeat).map((p) => p.name);
  const toolbar = { cpus: machine.cpus, deterministic: machine.deterministic };
  const rebootWithHeartbeats = (): void => {
    const config = withHeartbeats(controller.bootConfig);
    if (config === null) return;
    try {
      checkConfig(config);
    } catch (e) {
      setRebootError((e as Error).message);
      return;
    }
    setRebootError('');
    // The Boot dialog shows the machine's manifest, unless it holds edits of its own.
    const boot = useBootPanel.getState();
    if (boot.draft.manifest === controller.bootConfig.manifest) boot.edit({ manifest: config.manifest });
    void controller.boot({ ...machineChoice(config, toolbar), config });
  };

  return (
    <div className="breakit" data-testid="breakit">
      <table className="grid breakit-table" aria-label="drivers and services to break">
        <thead>
          <tr><th>program</th><th>policy</th><th>now</th><th><span className="sr-only">inject a fault</span></th></tr>
        </thead>
        <tbody>
          {programs.map((p) => {
            const live = newestInstance(m, p.name);
            const alive = live !== null && live.state !== 'exited';
            const s = p.supervise as SupervisePolicy;
            return (
              <tr key={p.name} data-testid={`breakit-row-${p.name}`}>
                <td>{p.name}</td>
                <td>
                  <span className={`policy ${s.policy}${s.critical ? ' critical' : ''}`} title={policyTitle(s)} data-testid={`breakit-policy-${p.name}`}>{policyWords(s)}</span>
                  {s.heartbeat !== undefined && <span className="dim small" title={policyTitle(s)}> ♥ {s.heartbeat.everyMs} ms</span>}
                </td>
                <td className="mono small" data-testid={`breakit-live-${p.name}`}>{alive ? `pid ${live.pid} · gen ${live.generation}` : 'ended'}</td>
                <td className="breakit-actions">
                  {ACTIONS.map(({ action, label, what }) => (
                    <button
                      key={action}
                      className={`tb break ${action}`}
                      disabled={!running || !alive || asked(live.pid, action)}
                      onClick={() => strike(p, action)}
                      title={`${label} ${p.name}: ${what}`}
                      aria-label={`${label} ${p.name}`}
                      data-testid={`breakit-${action}-${p.name}`}
                    >{label}</button>
                  ))}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {programs.length === 0 && <div className="empty">The manifest starts no driver or service.</div>}
      {noBeat.length > 0 && (
        <div className="breakit-note small">
          <span className="dim">{noBeat.join(', ')}: no heartbeat, so a hang is never found.</span>
          <button className="tb" onClick={rebootWithHeartbeats} disabled={status === 'booting'} data-testid="breakit-heartbeats"
            title="Reboot with a heartbeat (every 1000 ms, answer within 500 ms) for each restarted driver and service">Reboot with heartbeats</button>
          {rebootError !== '' && <span className="error">{rebootError}</span>}
        </div>
      )}
      <ul className="breakit-log" aria-label="what happened, newest first" aria-live="polite">
        {clicks.map((c) => {
          const o = outcome(m, c, status === 'panic');
          return (
            <li key={c.id} data-testid="breakit-outcome" data-restart={o.restartAt}>
              <span>{o.text}</span>
              {o.restartAt >= 0 && (
                <button className="ev-only" onClick={() => {
                  select(o.restartAt);
                  selectPid(o.newPid); // the process table and the capability views show the new instance
                }} aria-label={`show the restart of ${c.name} in the trace`} data-testid="breakit-show">show in trace</button>
              )}
            </li>
          );
        })}
      </ul>
    </div>
  );
}
