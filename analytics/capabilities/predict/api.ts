import { publicApi } from "../../platform/contract/capability.ts";
import type { CustomerModels } from "./customers.ts";

/** The customer models (customer value, churn risk), built once per platform in setup. */
export const customerModels = publicApi<CustomerModels>("predict");
