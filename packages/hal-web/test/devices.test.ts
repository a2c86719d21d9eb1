// The web HAL's machine offers exactly the devices the boot manifest names
// (bootDevices, @oncrix/boot — the list the bare-metal HAL offers too), in
// the same order and with the same register windows and interrupt lines, so
// one manifest and one UART driver serve both HALs. The kernel host is built
// with no warm Workers: nothing runs, only the machine is put together.

import { describe, expect, test } from 'vitest';
import { TRACE_RECORD_BYTES } from '@oncrix/abi';
import { bootDevices, encodeBootRom, parseManifest } from '@oncrix/boot';
import { KernelHost } from '../src/kernel-host.js';
import { BELL_BYTES, ByteRing, RecordRing } from '../src/shared.js';
import { builtKernel, builtPrograms, defaultManifest } from '../src/node.js';

describe('the web HAL\'s devices', () => {
  test('are the boot devices of the manifest, with their registers and interrupt lines', () => {
    const names = builtPrograms().map((p) => p.name);
    const rom = encodeBootRom(parseManifest(defaultManifest(), names, bootDevices(0)), names, bootDevices(0));
    const host = new KernelHost({
      kernel: new WebAssembly.Module(builtKernel() as BufferSource), images: [], rom, cpus: 1, deterministic: true,
      budgetPages: 256, rootQuota: 256, sliceUs: 10_000, sliceSafepoints: 20, safepointNs: 10_000, poolSize: 0,
      channels: {
        bell: new SharedArrayBuffer(BELL_BYTES), input: new ByteRing(64).sab, output: new ByteRing(64).sab,
        trace: new RecordRing(16, TRACE_RECORD_BYTES).sab, status: new SharedArrayBuffer(64),
      },
    });
    const offered = host.devices.map((d) => ({ name: d.name, registers: d.registers, ...(d.irq !== undefined ? { irq: d.irq } : {}) }));
    expect(offered).toEqual(bootDevices(rom.length));
    host.stop();
  });
});
