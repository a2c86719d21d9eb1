// liboncrix: the one door out of a program.
//
// A program may import exactly one function for kernel services:
// `oncrix.syscall(nr, a0..a5) -> i32` (docs/userland.md). Every wrapper in
// liboncrix ends here. The HAL parks the calling thread while the kernel
// works, so a blocking syscall simply returns later; a result >= 0 is success
// and a negative one is an ERR_* code from the ABI.

@external("oncrix", "syscall")
export declare function syscall(nr: i32, a0: i32, a1: i32, a2: i32, a3: i32, a4: i32, a5: i32): i32;

/** A one-word scratch area for syscall out-parameters (programs are single-threaded). */
export const outWord: usize = memory.data(8);
