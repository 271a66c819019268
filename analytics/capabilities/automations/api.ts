import { publicApi } from "../../platform/contract/capability.ts";
import type { Automations } from "./service.ts";

/** The automations service, built once per platform in setup. */
export const automationsApi = publicApi<Automations>("automations");
