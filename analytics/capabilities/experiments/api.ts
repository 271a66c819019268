import { publicApi } from "../../platform/contract/capability.ts";
import type { Experiments } from "./service.ts";

/** The experiments capability's service, built once per platform in setup. */
export const experimentsService = publicApi<Experiments>("experiments");
