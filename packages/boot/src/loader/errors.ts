// The one error the loader throws for a program it cannot run, with a reason
// code the HAL maps onto the ABI's Fault codes (BAD_MODULE, BAD_IMPORT) or
// onto a spawn error, and a message that names the program and the problem
// in words a student can act on.
//
// The idea: the loader never throws anything else for bad input. Errors in
// the loader's own options (a negative quota, say) are the caller's bugs and
// are RangeErrors instead.

/** Why a program could not be loaded. */
export type LoadErrorReason = 'BAD_MODULE' | 'BAD_IMPORT' | 'NO_ENTRY' | 'TOO_BIG';

/** A program that cannot run under ONCRIX; `reason` says why in one word, the message in a sentence. */
export class LoadError extends Error {
  constructor(
    readonly reason: LoadErrorReason,
    message: string,
  ) {
    super(message);
    this.name = 'LoadError';
  }
}
