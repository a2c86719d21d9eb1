// Shard 2 of the property tests: a share of the random hostile syscall sequences (shard.ts, run.ts).
import { propertyShard } from './shard';

propertyShard(2);
