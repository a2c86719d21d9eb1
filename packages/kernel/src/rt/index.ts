// The kernel's runtime (asconfig.json's "runtime"): AssemblyScript's TLSF
// allocator for memory, and the kernel's own collector (collector.ts), whose
// steps are paid for by the work they do, for garbage.

import '~lib/rt/tlsf';
import './collector';
