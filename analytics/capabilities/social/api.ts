import { publicApi } from "../../platform/contract/capability.ts";
import type { Social } from "./service.ts";

/** The social capability's service, built once per platform in setup (its own files reach it here). */
export const socialService = publicApi<Social>("social");
