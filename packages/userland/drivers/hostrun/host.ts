// hostrun's side of the host device (packages/abi/src/hostio.ts): one
// HostRequest block in this program's memory, filled and handed to the
// device by writing its address to register 0. The device reads and writes
// this memory directly, so a request is one DEV_WRITE syscall.

import {
  HOST_REQUEST_SIZE, HOST_WRITE, WASI_EAGAIN,
} from "../../../abi/assembly/index";
import { Handle, sleep, dmaRequest } from "../../lib/index";

const block = memory.data(HOST_REQUEST_SIZE);

/** The host device handle; set once at start. */
export let hostDevice: Handle = 0;

export function setHostDevice(h: Handle): void {
  hostDevice = h;
}

/** One request: the device's result (>= 0, or -WasiErrno), or a negative ERR_* when the register write itself failed. */
export function host(op: i32, arg: i32, buf: usize, len: i32, offset: u64 = 0): i32 {
  return dmaRequest(hostDevice, block, op, arg, buf, len, offset);
}

/** Write all of buf..buf+len to the host's stdout (1) or stderr (2), waiting while its ring is full. False if the device refused. */
export function hostWriteAll(stream: i32, buf: usize, len: i32): bool {
  for (let done = 0; done < len;) {
    const n = host(HOST_WRITE, stream, buf + done, len - done);
    if (n == -WASI_EAGAIN) {
      sleep(1000); // the host reads its rings at its own pace
      continue;
    }
    if (n <= 0) return false;
    done += n;
  }
  return true;
}

/** A line on the host's stderr, for what hostrun itself has to say. */
export function hostSay(text: string): void {
  const b = String.UTF8.encode("oncrix run: " + text + "\n");
  hostWriteAll(2, changetype<usize>(b), b.byteLength);
}
