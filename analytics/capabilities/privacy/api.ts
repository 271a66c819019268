import { publicApi } from "../../platform/contract/capability.ts";
import type { Privacy } from "./service.ts";

/** The privacy service, built once per platform in setup. */
export const privacyApi = publicApi<Privacy>("privacy");
