// The semantic half of the boot manifest's check: what the schema
// (manifest-schema.ts) cannot say, written by hand. Each rule is a mistake
// that would otherwise surface only after reboot, as init refusing a grant
// and the machine stopping half-booted:
//
//   - a program whose image is not in the image table;
//   - a name or an argument list longer than the kernel takes (bytes, not
//     characters: the schema counts characters);
//   - a device's registers or its interrupt line given to two programs (init
//     holds one handle to each and moves it to the first program that asks;
//     the second is refused with "device 0 is missing or already given");
//   - a service served twice, or connected to (or used as stdio) with nobody
//     serving it;
//   - a path that is not a clean absolute one ("/a/b": no empty, "." or ".."
//     component) in a preopen or a mount, a mount of a service nobody
//     serves, a path mounted twice;
//   - programs that talk to the console with no console driver to answer:
//     the program serving "console" must hold the UART's registers and its
//     interrupt;
//   - more heartbeats than init can wait on at once (WAIT_MANY_MAX - 1: one
//     place is its death notification).
//
// Every message names the entry (`program "sh" caps[2]: …`) so the person
// who wrote it finds the line to change.

import { LIMITS } from '@oncrix/abi';
import type { CapGrant, DeviceEntry, MountEntry, ProgramEntry } from './manifest.js';

/** The service the console driver serves, and the device it drives. */
export const CONSOLE_SERVICE = 'console';
export const CONSOLE_DEVICE = 'uart';

const encoder = new TextEncoder();

/** The capability's key and its value. */
function capKey(c: CapGrant): [string, unknown] {
  return Object.entries(c)[0] as [string, unknown];
}

/**
 * Check programs that already passed the schema (defaults filled in).
 * Returns null when every rule holds, else one message naming the entry.
 */
export function checkRules(programs: readonly ProgramEntry[], images: readonly string[], devices: readonly DeviceEntry[],
  mounts: readonly MountEntry[] = []): string | null {
  const deviceNames = devices.map((d) => d.name);
  /** "device:uart" / "irq:uart" / "serve:console" → the program that has it. */
  const given = new Map<string, string>();
  for (const p of programs) {
    const label = `program "${p.name}"`;
    if (encoder.encode(p.name).length > LIMITS.NAME_MAX) return `${label}: "name" is longer than ${LIMITS.NAME_MAX} bytes`;
    const program = p.program ?? p.name;
    if (!images.includes(program)) return `${label}: unknown program "${program}" (known: ${images.join(', ')})`;
    const argBytes = encoder.encode((p.args ?? []).join('\0')).length;
    if (argBytes > LIMITS.STARTUP_MAX_ARGS) return `${label}: the arguments are ${argBytes} bytes; a program can be given at most ${LIMITS.STARTUP_MAX_ARGS}`;
    for (const [j, c] of (p.caps ?? []).entries()) {
      const where = `${label} caps[${j}]`;
      const [key, value] = capKey(c);
      if (key === 'device' || key === 'irq') {
        const name = String(value);
        const device = devices.find((d) => d.name === name);
        if (device === undefined) return `${where}: unknown device "${name}" (devices: ${deviceNames.join(', ')})`;
        if (key === 'irq' && device.irq === undefined) return `${where}: device "${name}" has no interrupt`;
      }
      if (key === 'preopen' && !absolute(value)) return `${where}: "preopen" needs an absolute path like "/" or "/tmp" (no empty, "." or ".." parts)`;
      if (key === 'device' || key === 'irq' || key === 'serve') {
        const id = `${key}:${String(value)}`;
        const holder = given.get(id);
        if (holder !== undefined) {
          const what = key === 'device' ? `device "${String(value)}"` : key === 'irq' ? `the interrupt of "${String(value)}"` : `service "${String(value)}"`;
          const why = key === 'serve' ? 'a service has one server' : 'init holds one handle to it and can give it only once';
          return `${where}: ${what} is already given to "${holder}" (${why})`;
        }
        given.set(id, p.name);
      }
    }
  }
  return checkConnections(programs, given) ?? checkMounts(mounts, given) ?? checkHeartbeats(programs);
}

/** Init waits on every heartbeat channel and its death notification in one OBJECT_WAIT_MANY. */
function checkHeartbeats(programs: readonly ProgramEntry[]): string | null {
  const beating = programs.filter((p) => p.supervise?.heartbeat !== undefined);
  const most = LIMITS.WAIT_MANY_MAX - 1;
  if (beating.length <= most) return null;
  return `program "${beating[most]?.name ?? ''}": at most ${most} programs can have a heartbeat (init waits on them and its death notification together, at most ${LIMITS.WAIT_MANY_MAX} objects)`;
}

/** "/a/b": an absolute path without empty, "." or ".." components. */
function absolute(path: unknown): boolean {
  return typeof path === 'string' && path.startsWith('/') && (path === '/' || path.slice(1).split('/').every((c) => c !== '' && c !== '.' && c !== '..'));
}

/** Each mount names a clean absolute path, once, and a service some program serves. */
function checkMounts(mounts: readonly MountEntry[], given: ReadonlyMap<string, string>): string | null {
  const seen = new Set<string>();
  for (const [i, m] of mounts.entries()) {
    if (!absolute(m.path)) return `mounts[${i}]: "path" must be an absolute path like "/" or "/dev" (no empty, "." or ".." parts)`;
    if (!given.has(`serve:${m.service}`)) return `mounts[${i}]: no program serves "${m.service}" (add {"serve": "${m.service}"} to one)`;
    if (seen.has(m.path)) return `mounts[${i}]: "${m.path}" is mounted twice`;
    seen.add(m.path);
  }
  return null;
}

/** Every connect has a server; whoever talks to the console has a console driver holding the UART. */
function checkConnections(programs: readonly ProgramEntry[], given: ReadonlyMap<string, string>): string | null {
  for (const p of programs) {
    for (const [j, c] of (p.caps ?? []).entries()) {
      const [key, value] = capKey(c);
      if ((key !== 'connect' && key !== 'stdio') || given.has(`serve:${String(value)}`)) continue;
      const where = `program "${p.name}" caps[${j}]`;
      if (value === CONSOLE_SERVICE) {
        return `${where}: ${key === 'stdio' ? 'takes its stdio from' : 'connects to'} "${CONSOLE_SERVICE}", but the console driver is missing (add {"name": "${CONSOLE_DEVICE}", `
          + `"caps": [{"device": "${CONSOLE_DEVICE}"}, {"irq": "${CONSOLE_DEVICE}"}, {"serve": "${CONSOLE_SERVICE}"}]})`;
      }
      return `${where}: no program serves "${String(value)}" (add {"serve": "${String(value)}"} to one)`;
    }
  }
  const driver = given.get(`serve:${CONSOLE_SERVICE}`);
  if (driver !== undefined) {
    for (const key of ['device', 'irq']) {
      const holder = given.get(`${key}:${CONSOLE_DEVICE}`);
      if (holder === driver) continue;
      const what = key === 'device' ? `the UART's registers ({"device": "${CONSOLE_DEVICE}"})` : `the UART's interrupt ({"irq": "${CONSOLE_DEVICE}"})`;
      return `program "${driver}": serves "${CONSOLE_SERVICE}" but does not hold ${what}`
        + `${holder !== undefined ? `, which is given to "${holder}"` : ''}: the console driver needs both`;
    }
  }
  return null;
}
