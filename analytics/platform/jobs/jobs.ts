import { Registry } from "../base/registry.ts";
import type { Job, JobContext } from "../contract/capability.ts";

export type { Job, JobContext };

/** The jobs capabilities contribute, one each by name. */
export class JobRegistry extends Registry<Job> {
  constructor() {
    super("job", (j) => j.name);
  }
}
