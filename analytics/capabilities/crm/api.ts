import { publicApi } from "../../platform/contract/capability.ts";
import type { Crm } from "./service.ts";

/** The CRM service, built once per platform in setup (the privacy capability calls its `erase`). */
export const crmApi = publicApi<Crm>("crm");
